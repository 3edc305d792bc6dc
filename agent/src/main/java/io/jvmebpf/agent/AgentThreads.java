package io.jvmebpf.agent;

import io.jvmebpf.agent.log.AgentLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's threads: daemons (they never keep the JVM alive), named {@code jvm-ebpf-*} (so
 * their CPU time is counted as the agent's), and whatever escapes them becomes one debug line
 * instead of a stack trace on the application's stderr or a call to its default handler.
 */
public final class AgentThreads {
  private static final String PREFIX = "jvm-ebpf-";

  private AgentThreads() {}

  public static Thread start(String name, Runnable body, AgentLog log) {
    Thread thread = unstarted(name, body, log);
    thread.start();
    return thread;
  }

  /**
   * The names of the agent's threads still alive once {@code within} has passed (returning as soon
   * as none is), the caller's own thread left out.
   */
  public static List<String> stillAlive(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      List<Thread> alive = new ArrayList<>();
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread != Thread.currentThread() && thread.isAlive() && thread.getName().startsWith(PREFIX)) {
          alive.add(thread);
        }
      }
      if (alive.isEmpty() || System.nanoTime() >= deadline) {
        return alive.stream().map(Thread::getName).sorted().toList();
      }
      try {
        alive.get(0).join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return alive.stream().map(Thread::getName).sorted().toList();
      }
    }
  }

  public static Thread unstarted(String name, Runnable body, AgentLog log) {
    return Thread.ofPlatform()
        .daemon()
        .name(PREFIX + name)
        .uncaughtExceptionHandler((thread, e) -> log.debug(thread.getName() + " ended: " + e))
        .unstarted(body);
  }
}
