package io.jvmebpf.agent.otel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.OtelOptions.ThreadNaming;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThreadNamesTest {
  @Test
  void numbersThatCountBecomeN() {
    assertEquals("pool-N-thread-N", ThreadNames.normalize("pool-3-thread-17"));
    assertEquals("ForkJoinPool-N-worker-N", ThreadNames.normalize("ForkJoinPool-1-worker-12"));
    assertEquals("http-nio-N-exec-N", ThreadNames.normalize("http-nio-8080-exec-10"));
    assertEquals("CompilerThreadN", ThreadNames.normalize("CompilerThread12"));
    assertEquals("Thread-N", ThreadNames.normalize("Thread-0"));
    assertEquals("GC Thread#N", ThreadNames.normalize("GC Thread#7"));
    assertEquals("N", ThreadNames.normalize("42"));
  }

  @Test
  void numbersThatNameAKindStay() {
    assertEquals("C2 CompilerThreadN", ThreadNames.normalize("C2 CompilerThread0"));
    assertEquals("C1 CompilerThreadN", ThreadNames.normalize("C1 CompilerThread3"));
    assertEquals("G1 Refine#N", ThreadNames.normalize("G1 Refine#3"));
    assertEquals("main", ThreadNames.normalize("main"));
    assertEquals("", ThreadNames.normalize(""));
  }

  @Test
  void aPoolIsOneSeriesAndTheNumberOfNamesIsCapped() {
    ThreadNames names = new ThreadNames(ThreadNaming.NORMALIZE);
    Set<String> values = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      values.add(names.of("pool-1-thread-" + i));
    }
    assertEquals(Set.of("pool-N-thread-N"), values);

    ThreadNames raw = new ThreadNames(ThreadNaming.RAW);
    Set<String> rawValues = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      rawValues.add(raw.of("pool-1-thread-" + i));
    }
    assertEquals(ThreadNames.MAX_NAMES + 1, rawValues.size());
    assertTrue(rawValues.contains(ThreadNames.OTHER));
    assertTrue(rawValues.contains("pool-1-thread-0"));
    assertFalse(rawValues.contains("pool-1-thread-" + ThreadNames.MAX_NAMES));
    assertEquals("pool-1-thread-5", raw.of("pool-1-thread-5"), "a name with a series keeps it");
  }

  @Test
  void offMeansNoThreadAttribute() {
    assertFalse(new ThreadNames(ThreadNaming.OFF).perThread());
    assertTrue(new ThreadNames(ThreadNaming.NORMALIZE).perThread());
    assertEquals("unknown", new ThreadNames(ThreadNaming.NORMALIZE).of(null));
  }
}
