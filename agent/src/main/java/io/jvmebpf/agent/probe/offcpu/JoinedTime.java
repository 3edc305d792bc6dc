package io.jvmebpf.agent.probe.offcpu;

import java.util.HashMap;
import java.util.Map;

/**
 * How much of each kernel key's off-CPU time the JVM named: per key, nanoseconds per Java join.
 * Bounded at {@value #MAX_ENTRIES} (key, join) entries; past that an interval stays unjoined, its
 * time counted under its key alone as every short one is.
 */
final class JoinedTime {
  static final int MAX_ENTRIES = 262_144;

  private final Map<OffCpuKey, Map<JavaJoin, long[]>> byKey = new HashMap<>();
  private int entries;
  private long overflow;

  void add(OffCpuKey key, JavaJoin join, long ns) {
    Map<JavaJoin, long[]> split = byKey.get(key);
    long[] sum = split == null ? null : split.get(join);
    if (sum == null) {
      if (entries >= MAX_ENTRIES) {
        overflow++;
        return;
      }
      entries++;
      sum = new long[1];
      byKey.computeIfAbsent(key, k -> new HashMap<>(4)).put(join, sum);
    }
    sum[0] += ns;
  }

  /** Join to nanoseconds for one key; empty when none was joined. */
  Map<JavaJoin, long[]> of(OffCpuKey key) {
    return byKey.getOrDefault(key, Map.of());
  }

  /** Intervals left unjoined for want of room. */
  long overflow() {
    return overflow;
  }
}
