package io.jvmebpf.agent.probe.cpu;

import java.util.HashMap;
import java.util.Map;

/**
 * How each kernel key's samples split between the JVM's stacks: per (tid, kernel stack, user
 * stack), the events joined with each Java stack. Bounded at {@value #MAX_KEYS} keys; past that a
 * sample counts under its key without a Java stack.
 */
final class JoinedCounts {
  static final int MAX_KEYS = 262_144;

  private final Map<SampleKey, Map<Integer, long[]>> byKernelKey = new HashMap<>();
  private int keys;
  private long overflow;

  synchronized void add(SampleKey joined) {
    Map<Integer, long[]> split = byKernelKey.get(joined.withoutJava());
    if (split == null) {
      split = new HashMap<>(4);
      byKernelKey.put(joined.withoutJava(), split);
    }
    long[] n = split.get(joined.javaStack());
    if (n == null) {
      if (keys >= MAX_KEYS) {
        overflow++;
        n = split.get(SampleKey.NO_JAVA_STACK);
        if (n == null) {
          keys++; // past the bound by one per kernel key at most: forget() subtracts it again
          n = new long[1];
          split.put(SampleKey.NO_JAVA_STACK, n);
        }
      } else {
        keys++;
        n = new long[1];
        split.put(joined.javaStack(), n);
      }
    }
    n[0]++;
  }

  /** Java stack id to events, for one kernel key (javaStack ignored); empty when none arrived. */
  synchronized Map<Integer, Long> split(SampleKey kernelKey) {
    Map<Integer, long[]> split = byKernelKey.get(kernelKey.withoutJava());
    Map<Integer, Long> copy = new HashMap<>();
    if (split != null) {
      split.forEach((javaStack, n) -> copy.put(javaStack, n[0]));
    }
    return copy;
  }

  /** Forgets the splits of an epoch whose counts were drained. */
  synchronized void forget(int epoch) {
    byKernelKey.entrySet().removeIf(entry -> {
      if (entry.getKey().epoch() != epoch) {
        return false;
      }
      keys -= entry.getValue().size();
      return true;
    });
  }

  synchronized long overflow() {
    return overflow;
  }
}
