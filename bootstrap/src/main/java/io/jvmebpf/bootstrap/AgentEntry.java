package io.jvmebpf.bootstrap;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * The agent jar's {@code Premain-Class} and {@code Agent-Class}: the only class the host JVM loads
 * from the jar itself. It checks the ground, loads the core in its own module layer and hands over.
 * Nothing it does may throw into the host.
 */
public final class AgentEntry {
  private static final int MIN_JAVA = 22;

  private AgentEntry() {}

  public static void premain(String options, Instrumentation inst) {
    start(options, inst);
  }

  public static void agentmain(String options, Instrumentation inst) {
    start(options, inst);
  }

  private static void start(String options, Instrumentation inst) {
    long startedNanos = System.nanoTime();
    BootLog log = BootLog.forOptions(options);
    try {
      int java = Runtime.version().feature();
      if (java < MIN_JAVA) {
        log.line("off: this JVM is Java " + java + "; jvm-ebpf needs Java " + MIN_JAVA
            + "+ (its FFM API); run the application on JDK " + MIN_JAVA + " or newer");
        return;
      }
      List<String> problems = Preflight.run();
      CoreLayer.load(AgentEntry.class, inst)
          .start(options == null ? "" : options, inst, startedNanos, problems);
    } catch (Throwable t) {
      log.line("off: could not start (" + t + "); the application runs on without it");
    }
  }
}
