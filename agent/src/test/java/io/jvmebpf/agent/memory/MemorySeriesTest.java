package io.jvmebpf.agent.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.report.MemoryTimeline;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemorySeriesTest {
  @Test
  void whenFullEveryOtherPointGoesAndThePeriodDoubles() {
    MemorySeries series = new MemorySeries(10, 5);
    for (long t = 0; t <= 40; t += 10) {
      assertEquals(t, series.nextDueMs());
      series.add(t, t * 100, t, 2 * t);
    }
    // Full at five: the even points stay, the first and the latest among them.
    MemoryTimeline halved = series.timeline(Instant.EPOCH);
    assertEquals(20, halved.periodMs());
    assertEquals(List.of(0L, 20L, 40L), ms(halved));
    assertEquals(new MemoryTimeline.Point(40, 4000, 40, 80), halved.points().get(2));
    assertEquals(60, series.nextDueMs());
    series.add(60, 6000, 60, 120);
    series.add(80, 8000, 80, 160);
    assertEquals(List.of(0L, 40L, 80L), ms(series.timeline(Instant.EPOCH)));
    assertEquals(40, series.timeline(Instant.EPOCH).periodMs());
  }

  @Test
  void anyRunLengthFitsEvenlySpacedFromItsFirstToItsLatestSample() {
    MemorySeries series = new MemorySeries(1000);
    long last = 0;
    for (long t = 0; t < 24 * 3600_000L; t = series.nextDueMs()) { // a day of one-second samples
      series.add(t, 1, 1, 1);
      last = t;
    }
    MemoryTimeline day = series.timeline(Instant.EPOCH);
    List<Long> ms = ms(day);
    assertTrue(ms.size() <= MemorySeries.CAPACITY && ms.size() > MemorySeries.CAPACITY / 2, ms.size() + " points");
    assertEquals(0, ms.get(0));
    assertEquals(last, ms.get(ms.size() - 1));
    for (int i = 1; i < ms.size(); i++) {
      assertEquals(day.periodMs(), ms.get(i) - ms.get(i - 1), "spacing at point " + i);
    }
    assertEquals(1000L << 8, day.periodMs(), "86,400 one-second samples halved eight times");
  }

  @Test
  void aLateSampleIsFollowedByTheNextDueOneNotByABurst() {
    MemorySeries series = new MemorySeries(1000, 601);
    series.add(0, 1, 1, 1);
    series.add(3500, 1, 1, 1); // the JVM stood still for 2.5 s
    assertEquals(4000, series.nextDueMs());
  }

  private static List<Long> ms(MemoryTimeline timeline) {
    return timeline.points().stream().map(MemoryTimeline.Point::ms).toList();
  }
}
