package io.jvmebpf.agent.report;

import java.util.SortedMap;

/**
 * One syscall of one thread.
 *
 * @param latencyLog2Ns histogram: bucket lower bound in ns (0, 2, 4, 8...) to count, non-empty
 *     buckets only; the last bucket, 2^39 ns, also holds everything longer
 */
public record SyscallSummary(
    String name, long count, long errors, long totalNs, long maxNs, SortedMap<Long, Long> latencyLog2Ns) {}
