package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Profile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What the counts of a profile measure, for the formats that say it: pprof's sample and period
 * types, the flame graph's title. The collapsed file has no units: it always holds the counts.
 * Allocations will be a kind of their own over the same writers.
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

  private static final String NANOSECONDS = "ns";

  /** Time threads spent blocked, summed from the scheduler's events: counts are nanoseconds. */
  public static final ProfileKind OFF_CPU =
      new ProfileKind(
          "Off-CPU profile",
          NANOSECONDS,
          List.of(new ValueType("offcpu", "nanoseconds", false)),
          new ValueType("offcpu", "nanoseconds", false));

  /** Bytes allocated by the C library's allocator, as its tracked blocks stand for them. */
  public static final ProfileKind NATIVE_ALLOC = allocations("Native allocations");

  /** Java heap allocations, as the JVM's allocation samples weigh them. */
  public static final ProfileKind JAVA_ALLOC = allocations("Java heap allocations");

  /** Page faults taken in user mode, each counted. */
  public static final ProfileKind PAGE_FAULTS =
      new ProfileKind(
          "Page faults",
          "faults",
          List.of(new ValueType("faults", "count", false)),
          new ValueType("faults", "count", false));

  /** Bytes allocated, as Go's heap profiles name them in pprof. */
  private static ProfileKind allocations(String title) {
    return new ProfileKind(
        title, "bytes", List.of(new ValueType("alloc_space", "bytes", false)), new ValueType("space", "bytes", false));
  }

  public ProfileKind {
    sampleTypes = List.copyOf(sampleTypes);
  }

  /**
   * "CPU profile (1234 samples, interval 10 ms)"; without the interval when there is none; a
   * profile of nanoseconds in seconds: "Off-CPU profile (69.757 s)".
   */
  public String describe(Profile profile) {
    StringBuilder title = new StringBuilder(this.title).append(" (");
    if (countName.equals(NANOSECONDS)) { // time: in seconds, as a person reads it
      title.append(BigDecimal.valueOf(profile.totalSamples(), 9).setScale(3, RoundingMode.HALF_UP)).append(" s");
    } else {
      title.append(profile.totalSamples()).append(' ').append(countName);
    }
    if (profile.intervalNs() > 0) {
      String ms = BigDecimal.valueOf(profile.intervalNs(), 6).stripTrailingZeros().toPlainString();
      title.append(", interval ").append(ms).append(" ms");
    }
    return title.append(')').toString();
  }
}
