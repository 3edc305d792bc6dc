package io.jvmebpf.agent.report;

import java.util.List;

/** The whole of {@code summary.json}; {@code cpu} is null when the sampler did not run. */
public record Summary(ProcessInfo process, AgentInfo agent, CpuInfo cpu, List<ThreadSummary> threads) {}
