package io.jvmebpf.agent.probe.cpu;

import java.util.HashMap;
import java.util.Map;

/**
 * How each kernel key's samples split between the JVM's stacks and the spans their threads were
 * in: per (tid, kernel stack, user stack), the events joined with each (Java stack, link), as
 * {@link SampleKey#joinedWith()} packs them. Bounded at {@value #MAX_KEYS} keys; past that a
 * sample counts under its key without a Java stack or link.
 */
final class JoinedCounts {
  static final int MAX_KEYS = 262_144;
  private static final long NOTHING = SampleKey.joinedWith(SampleKey.NO_JAVA_STACK, SpanLinkIds.NONE);

  private final Map<SampleKey, Map<Long, long[]>> byKernelKey = new HashMap<>();
  private int keys;
  private long overflow;

  synchronized void add(SampleKey joined) {
    Map<Long, long[]> split = byKernelKey.get(joined.withoutJava());
    if (split == null) {
      split = new HashMap<>(4);
      byKernelKey.put(joined.withoutJava(), split);
    }
    long[] n = split.get(joined.joinedWith());
    if (n == null) {
      if (keys >= MAX_KEYS) {
        overflow++;
        n = split.get(NOTHING);
        if (n == null) {
          keys++; // past the bound by one per kernel key at most: forget() subtracts it again
          n = new long[1];
          split.put(NOTHING, n);
        }
      } else {
        keys++;
        n = new long[1];
        split.put(joined.joinedWith(), n);
      }
    }
    n[0]++;
  }

  /**
   * (Java stack, link) to events, for one kernel key (its Java stack and link ignored); empty when
   * none arrived.
   */
  synchronized Map<Long, Long> split(SampleKey kernelKey) {
    Map<Long, long[]> split = byKernelKey.get(kernelKey.withoutJava());
    Map<Long, Long> copy = new HashMap<>();
    if (split != null) {
      split.forEach((joinedWith, n) -> copy.put(joinedWith, n[0]));
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
