package io.jvmebpf.agent.report;

import java.util.Map;

/**
 * {@code summary.json}'s {@code agent}.
 *
 * @param pausedNs how long the agent was paused in the time its report covers
 * @param features feature name to "on" or "off: reason"
 * @param dropped events the bounded maps and buffers could not hold, by kind (zero means none lost)
 */
public record AgentInfo(
    String version, long pausedNs, Map<String, String> features, Overhead overhead, Map<String, Long> dropped) {}
