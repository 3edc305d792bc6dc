package io.jvmebpf.jfr;

import java.util.List;

/**
 * The JVM's own sample of one thread's Java stack ({@code jdk.ExecutionSample}, or
 * {@code jdk.NativeMethodSample} for a thread in native code).
 *
 * @param osThreadId the kernel's thread id; for a virtual thread's sample, which has none, minus its
 *     {@code Thread.threadId()} ({@link #virtualThreadId()})
 * @param epochNanos when it was taken, nanoseconds since the epoch
 * @param frames leaf first, as JFR lists them
 * @param inNative taken while the thread was in native code ({@code jdk.NativeMethodSample}),
 *     which includes threads blocked there, not only those running
 */
public record JavaStackSample(long osThreadId, long epochNanos, List<JavaFrame> frames, boolean inNative) {
  /** The virtual thread sampled, or 0 for a platform thread. */
  public long virtualThreadId() {
    return osThreadId < 0 ? -osThreadId : 0;
  }
}
