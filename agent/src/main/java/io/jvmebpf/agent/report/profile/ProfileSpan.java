package io.jvmebpf.agent.report.profile;

/**
 * When a profile was taken, for the formats that record it (pprof's {@code time_nanos} and
 * {@code duration_nanos}). Zero means unknown, as it does in pprof.
 *
 * @param startEpochNanos the start, in nanoseconds since the epoch (UTC)
 * @param durationNanos how long the profile ran
 */
public record ProfileSpan(long startEpochNanos, long durationNanos) {
  public static final ProfileSpan UNKNOWN = new ProfileSpan(0, 0);
}
