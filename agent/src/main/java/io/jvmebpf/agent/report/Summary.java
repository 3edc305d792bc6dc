package io.jvmebpf.agent.report;

import java.util.List;

/** The whole of {@code summary.json}. */
public record Summary(ProcessInfo process, AgentInfo agent, List<ThreadSummary> threads) {}
