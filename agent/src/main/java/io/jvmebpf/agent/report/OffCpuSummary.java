package io.jvmebpf.agent.report;

import java.util.List;

/**
 * One thread's off-CPU stacks in {@code summary.json}.
 *
 * @param javaNs off-CPU time whose stack holds a named Java frame
 * @param topStacks its heaviest off-CPU stacks, heaviest first
 */
public record OffCpuSummary(long javaNs, List<Stack> topStacks) {
  /** @param frames leaf first, as a Java stack trace reads; kernel frames end in {@code _[k]} */
  public record Stack(String reason, long ns, List<String> frames) {}
}
