package io.jvmebpf.bootstrap;

import java.lang.instrument.Instrumentation;

/**
 * Runs on Java 22+ only, once {@link AgentEntry} has checked: preflight, then the core. The core's
 * module layer is loaded once per JVM and kept: every later entry (the command-line tool's
 * commands, an attach after a stop) reaches the same core, which holds the JVM's one session.
 */
public final class Launcher {
  private static CoreLayer core; // guarded by Launcher.class

  private Launcher() {}

  /** @param attached loaded into a running JVM (agentmain), not before its main (premain) */
  public static void start(String options, Instrumentation inst, long startedNanos, boolean attached)
      throws Exception {
    coreLayer(inst).start(options, inst, startedNanos, Preflight.run(), attached);
  }

  private static synchronized CoreLayer coreLayer(Instrumentation inst) throws Exception {
    if (core == null) {
      core = CoreLayer.load(AgentEntry.class, inst);
    }
    return core;
  }
}
