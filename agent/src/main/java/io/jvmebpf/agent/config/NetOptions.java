package io.jvmebpf.agent.config;

/**
 * The network probe's settings: {@code net=}, {@code net.max=}.
 *
 * @param on whether it runs
 * @param max how many connections and UDP flows {@code summary.json} lists, heaviest first; the
 *     rest are summed in {@code network.other}, so that totals stay exact. The kernel follows at
 *     least this many open connections at once.
 * @param jfrThresholdNs the JVM's socket reads and writes at least this long ({@code net.jfr=},
 *     JFR's {@code jdk.SocketRead} and {@code jdk.SocketWrite}) name the Java code that used each
 *     connection; {@link #JFR_OFF}: off
 */
public record NetOptions(boolean on, int max, long jfrThresholdNs) {
  public static final int DEFAULT_MAX = 1_000;
  public static final int MAX_MAX = 1 << 20;
  /**
   * Off: once these events are on, JFR times every socket read and write whatever the threshold,
   * 0.1 to 0.3 us per call on top of the probe's own 0.3 us (bench/net-overhead, docs/OVERHEAD.md).
   */
  public static final long JFR_OFF = -1;

  public static NetOptions defaults() {
    return new NetOptions(true, DEFAULT_MAX, JFR_OFF);
  }
}
