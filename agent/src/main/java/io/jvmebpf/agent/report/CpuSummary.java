package io.jvmebpf.agent.report;

import java.util.List;

/**
 * One thread's CPU samples in {@code summary.json}.
 *
 * @param samples samples taken while it ran
 * @param kernelSamples those taken while it ran in the kernel
 * @param javaSamples those whose stack holds at least one named Java frame
 * @param joinedSamples those whose Java frames came from the JVM's sample nearest in time
 * @param topFrames its hottest frames: for Java methods, samples with that method as the
 *     innermost Java frame (what it ran itself, and the native and kernel code it called);
 *     for native threads, the innermost frame
 * @param virtualThreadSamples those taken while a virtual thread was mounted on it (a carrier)
 */
public record CpuSummary(long samples, long kernelSamples, long javaSamples, long joinedSamples,
    List<TopFrame> topFrames, long virtualThreadSamples) {
  public CpuSummary(long samples, long kernelSamples, long javaSamples, long joinedSamples, List<TopFrame> topFrames) {
    this(samples, kernelSamples, javaSamples, joinedSamples, topFrames, 0);
  }

  public record TopFrame(String name, String kind, long samples) {}
}
