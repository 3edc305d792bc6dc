package io.jvmebpf.agent.memory;

import io.jvmebpf.agent.report.MemoryTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory samples in arrays allocated once, at most {@code capacity} points a period apart. When
 * full, every other point goes and the period doubles, so a run of any length fits at the
 * resolution its length allows. The capacity is odd: the points kept are the even ones, the first
 * and the latest among them, still evenly spaced.
 */
final class MemorySeries {
  static final int CAPACITY = 601;

  private final long[] ms;
  private final long[] rss;
  private final long[] heapUsed;
  private final long[] heapCommitted;
  private long periodMs;
  private int count;

  MemorySeries(long periodMs) {
    this(periodMs, CAPACITY);
  }

  MemorySeries(long periodMs, int capacity) {
    if (capacity < 3 || capacity % 2 == 0 || periodMs <= 0) {
      throw new IllegalArgumentException("capacity " + capacity + " (odd, 3+), period " + periodMs + " ms");
    }
    this.periodMs = periodMs;
    ms = new long[capacity];
    rss = new long[capacity];
    heapUsed = new long[capacity];
    heapCommitted = new long[capacity];
  }

  /**
   * When the next sample is due, in ms since the start: the period's next multiple after the last
   * sample, so that a late one neither shifts the ones after it nor is followed by a burst.
   */
  synchronized long nextDueMs() {
    return count == 0 ? 0 : (ms[count - 1] / periodMs + 1) * periodMs;
  }

  synchronized void add(long atMs, long rssBytes, long heapUsedBytes, long heapCommittedBytes) {
    ms[count] = atMs;
    rss[count] = rssBytes;
    heapUsed[count] = heapUsedBytes;
    heapCommitted[count] = heapCommittedBytes;
    count++;
    if (count == ms.length) {
      halve();
    }
  }

  private void halve() {
    int kept = (count + 1) / 2;
    for (int i = 1; i < kept; i++) {
      ms[i] = ms[2 * i];
      rss[i] = rss[2 * i];
      heapUsed[i] = heapUsed[2 * i];
      heapCommitted[i] = heapCommitted[2 * i];
    }
    count = kept;
    periodMs *= 2;
  }

  synchronized MemoryTimeline timeline(Instant startedAt) {
    List<MemoryTimeline.Point> points = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      points.add(new MemoryTimeline.Point(ms[i], rss[i], heapUsed[i], heapCommitted[i]));
    }
    return new MemoryTimeline(startedAt, periodMs, List.copyOf(points));
  }
}
