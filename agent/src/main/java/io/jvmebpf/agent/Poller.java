package io.jvmebpf.agent;

import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.bpf.RingBuffer;

/**
 * A probe's polling thread: an {@link AgentThreads} daemon that runs one round after another
 * until stopped. A round waits on its own (a ring buffer's poll) and checks {@link #running()}
 * where it matters.
 */
public final class Poller {
  private final Thread thread;
  private volatile boolean running = true;

  private Poller(String name, Runnable round, AgentLog log) {
    thread = AgentThreads.start(name, () -> {
      while (running) {
        round.run();
      }
    }, log);
  }

  public static Poller start(String name, Runnable round, AgentLog log) {
    return new Poller(name, round, log);
  }

  public boolean running() {
    return running;
  }

  /**
   * Waits for a ring buffer's records up to {@code periodMs}, taking them in, then sleeps what is
   * left of the period: at most one round per period however fast records come, since the ring
   * holds seconds of them and each round's work (naming, joining) is per round, not per record.
   */
  public static void pollPaced(RingBuffer ring, int periodMs) {
    long started = System.nanoTime();
    ring.poll(periodMs);
    long left = periodMs - (System.nanoTime() - started) / 1_000_000;
    if (left > 0) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the round runs on: stop() ends the loop
      }
    }
  }

  /** Ends the loop after the current round, waiting for it up to {@code waitMs}. */
  public void stop(long waitMs) {
    running = false;
    try {
      thread.join(waitMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
