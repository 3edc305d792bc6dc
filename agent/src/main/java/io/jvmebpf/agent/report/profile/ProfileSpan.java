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

  /** A profile's start on both clocks: the epoch's, for the files, and the monotonic one. */
  public record Start(long epochNanos, long monotonicNanos) {
    public static Start now() {
      java.time.Instant now = java.time.Instant.now();
      return new Start(now.getEpochSecond() * 1_000_000_000L + now.getNano(), System.nanoTime());
    }

    /** A CLOCK_MONOTONIC time (System.nanoTime(), bpf_ktime_get_ns()) as an instant. */
    public java.time.Instant instant(long monotonicNanos) {
      long epoch = epochNanos + (monotonicNanos - this.monotonicNanos);
      return java.time.Instant.ofEpochSecond(Math.floorDiv(epoch, 1_000_000_000L), Math.floorMod(epoch, 1_000_000_000L));
    }

    /** The span from this start to {@code monotonicNanos} (System.nanoTime()). */
    public ProfileSpan until(long monotonicNanos) {
      return new ProfileSpan(epochNanos, monotonicNanos - this.monotonicNanos);
    }
  }
}
