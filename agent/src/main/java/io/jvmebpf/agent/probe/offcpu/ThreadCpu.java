package io.jvmebpf.agent.probe.offcpu;

/**
 * One thread's time so far as the scheduler tracer sums it, for live metrics: on a CPU, waiting
 * in a run queue, and off CPU (blocked or sleeping), in nanoseconds.
 */
public record ThreadCpu(long onCpuNs, long runQueueNs, long offCpuNs) {}
