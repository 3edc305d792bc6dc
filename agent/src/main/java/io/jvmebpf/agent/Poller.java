package io.jvmebpf.agent;

import io.jvmebpf.agent.log.AgentLog;

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
