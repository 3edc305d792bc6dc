package io.jvmebpf.agent.report;

/**
 * What the agent cost its host: {@code summary.json}'s {@code agent.overhead}.
 *
 * @param cpuNs CPU time of the agent's threads (and the JFR threads it started) plus its start-up
 * @param rssBytes resident memory the agent's start-up added to the process
 * @param bpfRunNs time the kernel spent running the agent's BPF programs; null when the kernel's
 *     run-time statistics could not be enabled
 * @param bpfRunCount how many times they ran; null likewise
 * @param bpfMapBytes kernel memory of the agent's BPF maps
 * @param startupMs from premain to every probe attached
 */
public record Overhead(
    long cpuNs, long rssBytes, Long bpfRunNs, Long bpfRunCount, long bpfMapBytes, long startupMs) {}
