package io.jvmebpf.jfr;

/**
 * The JVM's record of a virtual thread blocked (sleeping, parked, on a monitor): the kernel never
 * sees it, since the virtual thread unmounts and its carrier goes on with other work.
 *
 * @param javaThreadId the virtual thread's {@code Thread.threadId()}
 * @param name its name, "" when it has none
 * @param durationNanos how long it lasted
 * @param event JFR's event name, e.g. {@code jdk.ThreadSleep}
 */
public record JavaVirtualBlock(long javaThreadId, String name, long durationNanos, String event) {}
