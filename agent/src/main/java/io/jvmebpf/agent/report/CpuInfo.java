package io.jvmebpf.agent.report;

/**
 * The CPU sampler as a whole, in {@code summary.json}'s {@code cpu}.
 *
 * @param event {@code cpu} (software cpu-clock) or {@code cycles}
 * @param intervalNs the CPU time each sample stands for
 * @param cpusSampled CPUs with a sampling event attached
 * @param samples all samples of the JVM's threads, as the kernel counted them: the profile's total
 *     plus the samples its map had no room for ({@code agent.dropped.cpu.samplesUncounted})
 * @param javaFrameShare the share of samples with at least one named Java frame
 * @param joinedShare the share whose Java frames came from the JVM's own samples (JFR)
 * @param preserveFramePointer whether the JVM runs with {@code -XX:+PreserveFramePointer}
 */
public record CpuInfo(
    String event, long intervalNs, int cpusSampled, long samples, double javaFrameShare,
    double joinedShare, boolean preserveFramePointer) {}
