package io.jvmebpf.agent.report;

import java.time.Instant;
import java.util.Map;

/**
 * Where one thread's time went in {@code summary.json}, from when the kernel began following it
 * (the agent's start, or the thread's) to its end or the report: {@code onCpuNs + runQueueNs +
 * offCpuNs == wallNs}.
 *
 * @param offCpuByReason off-CPU time by why the thread was blocked (sleep, park, monitor, wait,
 *     io, page-fault, futex, other, unknown), adding up to {@code offCpuNs}
 * @param runQueueLatencyLog2Ns waits from runnable to running: bucket {@code b} counts waits of
 *     {@code [2^b, 2^(b+1))} ns
 * @param startedAt when the thread was created, or null when that was before the agent started
 * @param endedAt when it ended, or null when it lived at the report
 */
public record TimeSummary(
    long wallNs, long onCpuNs, long runQueueNs, long offCpuNs, Map<String, Long> offCpuByReason,
    Map<Long, Long> runQueueLatencyLog2Ns, Instant startedAt, Instant endedAt) {}
