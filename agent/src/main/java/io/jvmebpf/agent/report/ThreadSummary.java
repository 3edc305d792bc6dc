package io.jvmebpf.agent.report;

import java.util.List;

/**
 * One thread of the JVM in {@code summary.json}; {@code javaThreadId} is null for native threads,
 * {@code cpu} when the sampler did not run or never saw it, {@code time} and {@code offCpu} when
 * the scheduler tracer did not run, {@code network} when the network probe did not run or the
 * thread sent and received nothing.
 */
public record ThreadSummary(
    int tid, String name, Long javaThreadId, List<SyscallSummary> syscalls, CpuSummary cpu,
    TimeSummary time, OffCpuSummary offCpu, ThreadNetwork network, NativeMemory nativeMemory,
    PageFaults pageFaults) {}
