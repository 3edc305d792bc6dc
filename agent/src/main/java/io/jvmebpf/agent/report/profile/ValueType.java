package io.jvmebpf.agent.report.profile;

/**
 * One value pprof records per sample, named as pprof names values ({@code cpu}/{@code
 * nanoseconds}).
 *
 * @param type what is measured
 * @param unit its unit: pprof readers convert the ones they know (nanoseconds, bytes, count)
 * @param timesInterval whether the value is a sample's count times the profile's interval (CPU
 *     time from sample counts) rather than the count itself
 */
public record ValueType(String type, String unit, boolean timesInterval) {
  public long of(long count, long intervalNs) {
    return timesInterval ? count * intervalNs : count;
  }
}
