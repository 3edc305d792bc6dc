package io.jvmebpf.bootstrap;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bootstrap's only output: single lines prefixed {@code [jvm-ebpf]}, to stderr or to the file
 * the {@code log=} option names ({@code log=none} silences them). The core has its own logger with
 * the same rule.
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
        if (option.startsWith("log=")) {
          target = option.substring("log=".length());
        }
      }
    }
    return new BootLog(target);
  }

  void line(String message) {
    String line = "[jvm-ebpf] " + message;
    switch (target) {
      case "none" -> { }
      case "stderr", "" -> {
        PrintStream err = System.err;
        err.println(line);
      }
      default -> {
        try {
          Files.writeString(Path.of(target), line + System.lineSeparator(), StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
          System.err.println(line);
        }
      }
    }
  }
}
