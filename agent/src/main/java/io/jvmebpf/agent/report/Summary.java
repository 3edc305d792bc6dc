package io.jvmebpf.agent.report;

import java.util.List;

/**
 * The whole of {@code summary.json}; {@code cpu} is null when the sampler did not run, {@code
 * offCpu} when the scheduler tracer did not, {@code files} when the per-file I/O probe did not;
 * {@code network} and {@code connections} when the network probe did not; {@code processes} is
 * empty when the processes probe did not run.
 */
public record Summary(
    ProcessInfo process, AgentInfo agent, CpuInfo cpu, OffCpuInfo offCpu, List<ThreadSummary> threads,
    List<ChildProcess> processes, List<FileSummary> files, NetworkInfo network,
    List<Connection> connections) {}
