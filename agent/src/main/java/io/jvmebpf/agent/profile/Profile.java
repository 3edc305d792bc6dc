package io.jvmebpf.agent.profile;

import java.util.List;

/**
 * A whole sampled profile: what every writer (collapsed, pprof, HTML) writes.
 *
 * @param event what was sampled: {@code cpu} (software cpu-clock) or {@code cycles}
 * @param intervalNs the sampling period each sample stands for, in nanoseconds
 * @param samples one entry per (thread, stack)
 */
public record Profile(String event, long intervalNs, List<StackSample> samples) {
  public Profile {
    samples = List.copyOf(samples);
  }

  public long totalSamples() {
    long total = 0;
    for (StackSample sample : samples) {
      total += sample.count();
    }
    return total;
  }
}
