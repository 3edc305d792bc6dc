package io.jvmebpf.bootstrap;

import java.lang.instrument.Instrumentation;

/**
 * The agent jar's {@code Premain-Class} and {@code Agent-Class}: the only class the host JVM loads
 * from the jar before the version check. Compiled for Java 8 so that any JVM a user may attach it
 * to can run the check and print one line instead of failing to load the agent; the rest of the
 * bootstrap ({@link Launcher}) needs Java 17 and the core Java 22.
 */
public final class AgentEntry {
  private static final int MIN_JAVA = 22;

  private AgentEntry() {}

  public static void premain(String options, Instrumentation inst) {
    start(options, inst, false);
  }

  public static void agentmain(String options, Instrumentation inst) {
    start(options, inst, true);
  }

  private static void start(String options, Instrumentation inst, boolean attached) {
    long startedNanos = System.nanoTime();
    BootLog log = BootLog.forOptions(options);
    try {
      int java = featureVersion(System.getProperty("java.specification.version", "0"));
      if (java < MIN_JAVA) {
        log.line("off: this JVM is Java " + java + "; jvm-ebpf needs Java " + MIN_JAVA
            + "+ (its FFM API); run the application on JDK " + MIN_JAVA + " or newer");
        return;
      }
      // Reflection: a direct call would make this Java 8 class refer to a Java 17 one.
      Class.forName("io.jvmebpf.bootstrap.Launcher")
          .getMethod("start", String.class, Instrumentation.class, long.class, boolean.class)
          .invoke(null, options == null ? "" : options, inst, startedNanos, attached);
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      log.line("off: could not start (" + cause + "); the application runs on without it");
    }
  }

  /** "1.8" is Java 8; from 9 on the specification version is the feature number. */
  static int featureVersion(String specification) {
    try {
      return specification.startsWith("1.")
          ? Integer.parseInt(specification.substring(2))
          : Integer.parseInt(specification);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
