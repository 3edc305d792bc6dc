package io.jvmebpf.agent.config;

/**
 * The network probe's settings: {@code net=}, {@code net.max=}.
 *
 * @param on whether it runs
 * @param max how many connections and UDP flows {@code summary.json} lists, heaviest first; the
 *     rest are summed in {@code network.other}, so that totals stay exact. The kernel follows at
 *     least this many open connections at once.
 */
public record NetOptions(boolean on, int max) {
  public static final int DEFAULT_MAX = 1_000;
  public static final int MAX_MAX = 1 << 20;

  public static NetOptions defaults() {
    return new NetOptions(true, DEFAULT_MAX);
  }
}
