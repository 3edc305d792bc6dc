package io.jvmebpf.agent.report;

import io.jvmebpf.agent.spans.SpanSummary;
import io.jvmebpf.agent.vthreads.VirtualThreadSummary;
import java.util.List;

/**
 * The whole of {@code summary.json}; {@code cpu} is null when the sampler did not run, {@code
 * offCpu} when the scheduler tracer did not, {@code files} when the per-file I/O probe did not;
 * {@code network} and {@code connections} when the network probe did not; {@code processes} is
 * empty when the processes probe did not run; {@code memory} is null when the memory probe did not
 * run, {@code javaHeap} when the JVM's heap events were not read; {@code virtualThreads} when
 * virtual threads were not followed.
 */
public record Summary(
    ProcessInfo process, AgentInfo agent, CpuInfo cpu, OffCpuInfo offCpu, List<ThreadSummary> threads,
    List<ChildProcess> processes, List<FileSummary> files, NetworkInfo network,
    List<Connection> connections, MemoryInfo memory, JavaHeapInfo javaHeap,
    SpanSummary spans, VirtualThreadSummary virtualThreads) {}
