package io.jvmebpf.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.Map;

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

  /** Loaded as the OpenTelemetry Java agent's extension: see {@link ExtensionEntry}. */
  public static Map<String, Object> spanHooks(File agentJar, Instrumentation inst) throws Exception {
    return coreLayer(agentJar.toPath(), inst).spanHooks();
  }

  /** Loaded as the OpenTelemetry Java agent's extension: see {@link ExtensionEntry}. */
  public static void startExtension(
      File agentJar, String options, Instrumentation inst, long startedNanos, Map<String, String> otel)
      throws Exception {
    coreLayer(agentJar.toPath(), inst).startExtension(options, inst, startedNanos, Preflight.run(), otel);
  }

  private static CoreLayer coreLayer(Instrumentation inst) throws Exception {
    return coreLayer(CoreLayer.jarOf(AgentEntry.class), inst);
  }

  private static synchronized CoreLayer coreLayer(Path jar, Instrumentation inst) throws Exception {
    if (core == null) {
      core = CoreLayer.load(jar, inst);
    }
    return core;
  }
}
