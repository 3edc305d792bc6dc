package io.jvmebpf.jfr;

import java.util.List;

/**
 * The JVM's own record of a thread blocked in Java code: sleeping, parked, entering or waiting on
 * a monitor, reading or writing a socket or file (JFR's duration events of those names).
 *
 * @param osThreadId the kernel's thread id
 * @param startEpochNanos when it began, nanoseconds since the epoch
 * @param durationNanos how long it lasted
 * @param event JFR's event name, e.g. {@code jdk.ThreadSleep}
 * @param frames leaf first, as JFR lists them
 */
public record JavaBlock(
    long osThreadId, long startEpochNanos, long durationNanos, String event, List<JavaFrame> frames) {}
