package io.jvmebpf.bootstrap;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bootstrap's only output: single lines prefixed {@code [jvm-ebpf]}, to stderr or to the file
 * the {@code log=} option names ({@code log=none} silences them). The core has its own logger with
 * the same rule. Java 8, like {@link AgentEntry}.
 */
final class BootLog {
  private final String target;

  private BootLog(String target) {
    this.target = target;
  }

  static BootLog forOptions(String options) {
    String target = "stderr";
    if (options != null) {
      for (String option : options.split(",")) {
        if (option.startsWith("log=") && option.length() > "log=".length()) {
          target = option.substring("log=".length());
        }
      }
    }
    return new BootLog(target);
  }

  void line(String message) {
    String line = "[jvm-ebpf] " + message;
    if (target.equals("none")) {
      return;
    }
    if (!target.equals("stderr")) {
      try (OutputStream out = new FileOutputStream(target, true)) {
        out.write((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
        return;
      } catch (IOException | RuntimeException e) {
        // fall through to stderr: the line must reach someone
      }
    }
    System.err.println(line);
  }
}
