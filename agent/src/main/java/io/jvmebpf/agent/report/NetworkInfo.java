package io.jvmebpf.agent.report;

/**
 * The network at the top of {@code summary.json}: how many connections and flows the JVM had, and
 * the ones {@code connections} does not list, summed so that totals stay exact.
 *
 * @param max how many connections and flows {@code connections} lists at most ({@code net.max=})
 * @param connections how many connections and flows it had in all, listed or not
 * @param other those not listed: the lightest beyond {@code max}, and those the kernel's maps or
 *     ring buffer could not hold
 */
public record NetworkInfo(int max, long connections, Other other) {

  /** Connections (and flows) not listed one by one, with their counts summed. */
  public record Other(
      long connections, long bytesSent, long bytesReceived, long sends, long receives, long retransmits,
      long resets) {
    public static final Other NONE = new Other(0, 0, 0, 0, 0, 0, 0);
  }
}
