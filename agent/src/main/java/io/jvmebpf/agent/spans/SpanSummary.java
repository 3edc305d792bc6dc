package io.jvmebpf.agent.spans;

import java.util.Comparator;
import java.util.List;

/**
 * What the span hook saw, for {@code summary.json}'s {@code spans}.
 *
 * @param ended server and consumer spans that ended while the agent ran
 * @param attributed those that got the kernel's figures (started and ended on one thread that had
 *     a slot, at most {@link SpanThread#DEPTH} deep)
 * @param wallNs the summed duration of every ended span
 * @param attributedWallNs that of the attributed ones
 * @param slotsFull threads whose spans went without figures: every slot was taken
 * @param byName the attributed spans' totals per name
 */
public record SpanSummary(
    long ended, long attributed, long wallNs, long attributedWallNs, long slotsFull, List<ByName> byName) {
  public static final int TOP = 20;

  /**
   * @param figures summed deltas, in {@link KernelFigures} order
   */
  public record ByName(String name, long spans, long wallNs, long[] figures) {
    public long figure(int index) {
      return figures[index];
    }
  }

  /** The {@value #TOP} names with the most of figure {@code index}. */
  public List<ByName> top(int index) {
    return byName.stream()
        .filter(row -> row.figure(index) > 0)
        .sorted(Comparator.comparingLong((ByName row) -> row.figure(index)).reversed())
        .limit(TOP)
        .toList();
  }
}
