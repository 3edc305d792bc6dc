package io.jvmebpf.agent.probe.net;

/** The kernel's TCP states (include/net/tcp_states.h), by number, named as {@code ss} names them. */
final class TcpState {
  static final int SYN_SENT = 2;
  static final int CLOSE = 7;

  private static final String[] NAMES = {
    "unknown", "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait", "closed",
    "close-wait", "last-ack", "listen", "closing", "new-syn-recv"
  };

  static String name(int state) {
    return state > 0 && state < NAMES.length ? NAMES[state] : "unknown";
  }

  /**
   * What became of a connection: its state while open; once closed, {@code refused} (a reset
   * answered its SYN), {@code failed} (it never connected otherwise), {@code reset} (a reset ended
   * it), or {@code closed}.
   */
  static String outcome(int state, int lastState, long resetsSent, long resetsReceived) {
    if (state != CLOSE) {
      return name(state);
    }
    if (lastState == SYN_SENT) {
      return resetsReceived > 0 ? "refused" : "failed";
    }
    return resetsSent + resetsReceived > 0 ? "reset" : "closed";
  }

  private TcpState() {}
}
