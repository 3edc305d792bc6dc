package io.jvmebpf.bootstrap;

import java.lang.instrument.Instrumentation;

/** Runs on Java 22+ only, once {@link AgentEntry} has checked: preflight, then the core. */
public final class Launcher {
  private Launcher() {}

  public static void start(String options, Instrumentation inst, long startedNanos) throws Exception {
    CoreLayer.load(AgentEntry.class, inst).start(options, inst, startedNanos, Preflight.run());
  }
}
