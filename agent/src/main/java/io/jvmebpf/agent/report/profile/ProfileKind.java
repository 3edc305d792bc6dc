package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Profile;
import java.math.BigDecimal;
import java.util.List;

/**
 * What the counts of a profile measure, for the formats that say it: pprof's sample and period
 * types, the flame graph's title. The collapsed file has no units: it always holds the counts.
 * Off-CPU time or allocations will be kinds of their own over the same writers, e.g. off-CPU with
 * counts in nanoseconds: {@code offcpu/nanoseconds} as the only value and the period type.
 *
 * @param title what the flame graph calls the profile, before its totals
 * @param countName what one count is, in the title ("samples")
 * @param sampleTypes pprof's values of each sample, in this order; by convention a count first
 *     and the value readers show by default last
 * @param periodType what pprof's period counts; the period is the profile's interval
 */
public record ProfileKind(String title, String countName, List<ValueType> sampleTypes, ValueType periodType) {
  /** Timer samples of threads on a CPU: async-profiler's and Go's pprof names. */
  public static final ProfileKind CPU =
      new ProfileKind(
          "CPU profile",
          "samples",
          List.of(new ValueType("samples", "count", false), new ValueType("cpu", "nanoseconds", true)),
          new ValueType("cpu", "nanoseconds", true));

  public ProfileKind {
    sampleTypes = List.copyOf(sampleTypes);
  }

  /** "CPU profile (1234 samples, interval 10 ms)"; without the interval when there is none. */
  public String describe(Profile profile) {
    StringBuilder title = new StringBuilder(this.title).append(" (");
    title.append(profile.totalSamples()).append(' ').append(countName);
    if (profile.intervalNs() > 0) {
      String ms = BigDecimal.valueOf(profile.intervalNs(), 6).stripTrailingZeros().toPlainString();
      title.append(", interval ").append(ms).append(" ms");
    }
    return title.append(')').toString();
  }
}
