package io.jvmebpf.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.Map;

/**
 * The entry of the OpenTelemetry Java agent's extension ({@code io.jvmebpf.otel}): the same
 * version check as {@link AgentEntry}, then the core, loaded from {@code agentJar} (the
 * extension's class loader gives its classes no file location). Java 8, so that an old JVM gets a
 * line saying why, not an error in the OpenTelemetry agent's start.
 */
public final class ExtensionEntry {
  private static final int MIN_JAVA = 22;

  private ExtensionEntry() {}

  /**
   * The core's span hooks ({@code start}, {@code end}, {@code attributes}), loading the core if it
   * is not: empty, after one line saying why, when it cannot run here.
   */
  public static Map<String, Object> spanHooks(File agentJar, Instrumentation inst, String options) {
    BootLog log = BootLog.forOptions(options);
    if (!javaIsRecent(log)) {
      return Collections.emptyMap();
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> hooks = (Map<String, Object>) Class.forName("io.jvmebpf.bootstrap.Launcher")
          .getMethod("spanHooks", File.class, Instrumentation.class)
          .invoke(null, agentJar, inst);
      return hooks;
    } catch (Throwable t) {
      log.line("off: could not load (" + cause(t) + "); the application runs on without it");
      return Collections.emptyMap();
    }
  }

  /**
   * Starts a session with {@code options} as {@code -javaagent:} takes them and the OpenTelemetry
   * agent's export settings ({@code otel}: endpoint, headers, resource attributes).
   */
  public static void start(File agentJar, String options, Instrumentation inst, Map<String, String> otel) {
    long startedNanos = System.nanoTime();
    BootLog log = BootLog.forOptions(options);
    if (!javaIsRecent(log)) {
      return;
    }
    try {
      Class.forName("io.jvmebpf.bootstrap.Launcher")
          .getMethod("startExtension", File.class, String.class, Instrumentation.class, long.class, Map.class)
          .invoke(null, agentJar, options, inst, startedNanos, otel);
    } catch (Throwable t) {
      log.line("off: could not start (" + cause(t) + "); the application runs on without it");
    }
  }

  private static boolean javaIsRecent(BootLog log) {
    int java = AgentEntry.featureVersion(System.getProperty("java.specification.version", "0"));
    if (java < MIN_JAVA) {
      log.line("off: this JVM is Java " + java + "; jvm-ebpf needs Java " + MIN_JAVA
          + "+ (its FFM API); run the application on JDK " + MIN_JAVA + " or newer");
      return false;
    }
    return true;
  }

  private static Throwable cause(Throwable t) {
    return t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
  }
}
