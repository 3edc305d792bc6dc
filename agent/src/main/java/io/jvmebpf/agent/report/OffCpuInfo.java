package io.jvmebpf.agent.report;

/**
 * The scheduler tracer's run in {@code summary.json}.
 *
 * @param minNs the shortest block sent to user space and joined with the JVM's blocking events
 * @param intervals off-CPU intervals the kernel summed
 * @param longIntervals those at least {@code minNs} long, sent to user space for the join
 * @param javaFrameShare the share of all off-CPU time whose stack holds a named Java frame
 */
public record OffCpuInfo(long minNs, long intervals, long longIntervals, double javaFrameShare) {}
