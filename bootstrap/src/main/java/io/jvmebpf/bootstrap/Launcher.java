package io.jvmebpf.bootstrap;

import java.lang.instrument.Instrumentation;

/** Runs on Java 22+ only, once {@link AgentEntry} has checked: preflight, then the core. */
public final class Launcher {
  private Launcher() {}

  /** @param attached loaded into a running JVM (agentmain), not before its main (premain) */
  public static void start(String options, Instrumentation inst, long startedNanos, boolean attached)
      throws Exception {
    CoreLayer.load(AgentEntry.class, inst).start(options, inst, startedNanos, Preflight.run(), attached);
  }
}
