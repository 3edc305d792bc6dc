package io.jvmebpf.jfr;

import java.util.List;

/**
 * The JVM's own sample of one thread's Java stack ({@code jdk.ExecutionSample}, or
 * {@code jdk.NativeMethodSample} for a thread in native code).
 *
 * @param osThreadId the kernel's thread id
 * @param epochNanos when it was taken, nanoseconds since the epoch
 * @param frames leaf first, as JFR lists them
 * @param inNative taken while the thread was in native code ({@code jdk.NativeMethodSample}),
 *     which includes threads blocked there, not only those running
 */
public record JavaStackSample(long osThreadId, long epochNanos, List<JavaFrame> frames, boolean inNative) {}
