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
 *     connection; -1: off
 */
public record NetOptions(boolean on, int max, long jfrThresholdNs) {
  public static final int DEFAULT_MAX = 1_000;
  public static final int MAX_MAX = 1 << 20;
  /** JFR's own default for these events (its default.jfc). */
  public static final long DEFAULT_JFR_THRESHOLD_NS = 20_000_000L;

  public static NetOptions defaults() {
    return new NetOptions(true, DEFAULT_MAX, DEFAULT_JFR_THRESHOLD_NS);
  }
}
