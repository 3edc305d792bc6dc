package io.jvmebpf.otel;

import java.io.File;
import java.io.IOException;
import java.util.jar.JarFile;

/**
 * The agent jar this extension was loaded from. The OpenTelemetry agent's extension class loader
 * gives its classes no file location, so the jar is found where the user named it:
 * {@code otel.javaagent.extensions} (files or folders, comma-separated).
 */
final class AgentJar {
  private static final String CORE = "jvm-ebpf-core/";

  private AgentJar() {}

  static File find() {
    String listed = System.getProperty("otel.javaagent.extensions", System.getenv("OTEL_JAVAAGENT_EXTENSIONS"));
    if (listed == null) {
      return null;
    }
    for (String entry : listed.split(",")) {
      File file = new File(entry.trim());
      File[] candidates = file.isDirectory() ? file.listFiles((dir, name) -> name.endsWith(".jar")) : new File[] {file};
      for (File candidate : candidates == null ? new File[0] : candidates) {
        if (holdsCore(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static boolean holdsCore(File candidate) {
    try (JarFile jar = new JarFile(candidate)) {
      return jar.getEntry(CORE + "io/jvmebpf/agent/AgentCore.class") != null;
    } catch (IOException e) {
      return false;
    }
  }
}
