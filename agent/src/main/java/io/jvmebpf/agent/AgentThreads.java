package io.jvmebpf.agent;

import io.jvmebpf.agent.log.AgentLog;

/**
 * The agent's threads: daemons (they never keep the JVM alive), named {@code jvm-ebpf-*} (so
 * their CPU time is counted as the agent's), and whatever escapes them becomes one debug line
 * instead of a stack trace on the application's stderr or a call to its default handler.
 */
public final class AgentThreads {
  private AgentThreads() {}

  public static Thread start(String name, Runnable body, AgentLog log) {
    Thread thread = unstarted(name, body, log);
    thread.start();
    return thread;
  }

  public static Thread unstarted(String name, Runnable body, AgentLog log) {
    return Thread.ofPlatform()
        .daemon()
        .name("jvm-ebpf-" + name)
        .uncaughtExceptionHandler((thread, e) -> log.debug(thread.getName() + " ended: " + e))
        .unstarted(body);
  }
}
