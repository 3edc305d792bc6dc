package io.jvmebpf.workloads;

import java.util.concurrent.locks.LockSupport;

/**
 * The measured loop of {@code bench/offcpu-overhead}: threads {@code ping} and {@code pong} hand a
 * token back and forth with LockSupport.park/unpark, so each hand-over is a futex wake-up and the
 * other thread blocks: the most context switches per second a pair of Java threads makes, the
 * worst case for a probe on every switch. After the warm-up, times N round trips on {@code ping}
 * and prints {@code ns/op=<mean per round trip>}.
 * Usage: {@code PingPongLoop N [WARMUP_SECONDS]} (warm-up 1 s by default)
 */
public final class PingPongLoop {
  private static volatile long turn; // even: ping's, odd: pong's; each writes only on its turn
  private static volatile Thread ping;

  private PingPongLoop() {}

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    long warmupNanos = (long) (1e9 * (args.length > 1 ? Double.parseDouble(args[1]) : 1));
    Thread pong = new Thread(PingPongLoop::pong, "pong");
    pong.setDaemon(true); // blocked for good once ping is done
    long[] elapsed = new long[1];
    ping = new Thread(() -> {
      // The warm-up lets the JIT and the agent's start-up work (JFR) settle first.
      long warmUntil = System.nanoTime() + warmupNanos;
      while (System.nanoTime() < warmUntil) {
        roundTrips(pong, Math.max(1, n / 20));
      }
      long start = System.nanoTime();
      roundTrips(pong, n);
      elapsed[0] = System.nanoTime() - start;
    }, "ping");
    pong.start();
    ping.start();
    ping.join();
    System.out.printf("ns/op=%.1f%n", (double) elapsed[0] / n);
  }

  private static void roundTrips(Thread pong, long n) {
    for (long i = 0; i < n; i++) {
      turn++;
      LockSupport.unpark(pong);
      while ((turn & 1) == 1) {
        LockSupport.park(); // may return early: the loop checks the turn
      }
    }
  }

  private static void pong() {
    while (true) {
      while ((turn & 1) == 0) {
        LockSupport.park();
      }
      turn++;
      LockSupport.unpark(ping);
    }
  }
}
