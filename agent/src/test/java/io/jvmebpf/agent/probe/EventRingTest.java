package io.jvmebpf.agent.probe;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRingTest {
  @Test
  void drainsInOrderUpToTheCutoffAndCountsWhatDidNotFit() {
    EventRing ring = new EventRing(3, 2, 1);
    try (Arena arena = Arena.ofConfined()) {
      for (long i = 1; i <= 4; i++) {
        MemorySegment event = arena.allocate(16);
        event.set(JAVA_LONG, 0, i * 100);
        event.set(JAVA_LONG, 8, i * 10); // the time
        ring.add(event);
      }
      ring.add(arena.allocate(8)); // too short: ignored
    }
    assertEquals(1, ring.dropped());
    List<Long> seen = new ArrayList<>();
    ring.drainBefore(25, (data, at) -> seen.add(data[at]));
    assertEquals(List.of(100L, 200L), seen);
    ring.drainBefore(Long.MAX_VALUE, (data, at) -> seen.add(data[at]));
    assertEquals(List.of(100L, 200L, 300L), seen);
  }

  @Test
  void visitNewSeesEachRecordOnceAndLeavesItForTheDrain() {
    EventRing ring = new EventRing(8, 1, 0);
    List<Long> visited = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment event = arena.allocate(8);
      for (long i = 1; i <= 3; i++) {
        event.set(JAVA_LONG, 0, i);
        ring.add(event);
        if (i == 2) {
          ring.visitNew((data, at) -> visited.add(data[at]));
        }
      }
    }
    ring.visitNew((data, at) -> visited.add(data[at]));
    ring.visitNew((data, at) -> visited.add(data[at]));
    assertEquals(List.of(1L, 2L, 3L), visited);
    List<Long> drained = new ArrayList<>();
    ring.drainBefore(Long.MAX_VALUE, (data, at) -> drained.add(data[at]));
    assertEquals(List.of(1L, 2L, 3L), drained);
  }
}
