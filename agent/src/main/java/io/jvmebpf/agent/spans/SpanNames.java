package io.jvmebpf.agent.spans;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Totals per span name, bounded: names past {@link #MAX_NAMES} are summed under
 * {@value #OTHER}. A name costs an entry the first time only.
 */
final class SpanNames {
  static final int MAX_NAMES = 1000;
  static final String OTHER = "(other names)";

  private final ConcurrentHashMap<String, Totals> byName = new ConcurrentHashMap<>();

  /** One name's spans; synchronized, uncontended but for spans of one name ending together. */
  static final class Totals {
    private long spans;
    private long wallNs;
    private final long[] figures = new long[KernelFigures.COUNT];

    synchronized void add(long wall, long[] deltas) {
      spans++;
      wallNs += wall;
      for (int i = 0; i < KernelFigures.COUNT; i++) {
        figures[i] += deltas[i];
      }
    }

    synchronized SpanSummary.ByName snapshot(String name) {
      return new SpanSummary.ByName(name, spans, wallNs, figures.clone());
    }
  }

  void add(String name, long wallNs, long[] deltas) {
    Totals totals = byName.get(name);
    if (totals == null) {
      totals = byName.size() < MAX_NAMES
          ? byName.computeIfAbsent(name, unused -> new Totals())
          : byName.computeIfAbsent(OTHER, unused -> new Totals());
    }
    totals.add(wallNs, deltas);
  }

  List<SpanSummary.ByName> snapshot() {
    List<SpanSummary.ByName> rows = new ArrayList<>();
    byName.forEach((name, totals) -> rows.add(totals.snapshot(name)));
    return rows;
  }
}
