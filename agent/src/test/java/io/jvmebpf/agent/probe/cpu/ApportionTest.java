package io.jvmebpf.agent.probe.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel's count of a stack, split between the JVM stacks its events joined: exact totals. */
class ApportionTest {
  @Test
  void splitsInProportionAndAddsUpExactly() {
    assertEquals(Map.of(1, 50L, 2, 25L, 3, 25L), ProfileAssembler.apportion(100, Map.of(1, 2L, 2, 1L, 3, 1L)));
    Map<Integer, Long> thirds = ProfileAssembler.apportion(10, Map.of(1, 1L, 2, 1L, 3, 1L));
    assertEquals(10, thirds.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(Map.of(1, 4L, 2, 3L, 3, 3L), thirds);
  }

  @Test
  void withoutEventsEverythingStaysWithoutAJavaStack() {
    assertEquals(Map.of(SampleKey.NO_JAVA_STACK, 7L), ProfileAssembler.apportion(7, Map.of()));
  }

  @Test
  void moreEventsThanCountsStillAddUpToTheKernelsCount() {
    Map<Integer, Long> parts = ProfileAssembler.apportion(3, Map.of(1, 5L, 2, 4L, 3, 1L));
    assertEquals(3, parts.values().stream().mapToLong(Long::longValue).sum());
  }
}
