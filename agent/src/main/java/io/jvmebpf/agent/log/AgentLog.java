package io.jvmebpf.agent.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The agent's one logger: single lines prefixed {@code [jvm-ebpf]}, never a stack trace, to stderr
 * (the default), a file ({@code log=FILE}) or nowhere ({@code log=none}). Debug lines, libbpf's own
 * output among them, appear only with {@code loglevel=debug}.
 */
public final class AgentLog {
  private static final String PREFIX = "[jvm-ebpf] ";
  private static final FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final String target;
  private final boolean debug;

  public AgentLog(String target, boolean debug) {
    this.target = target;
    this.debug = debug;
  }

  public static AgentLog stderr() {
    return new AgentLog("stderr", false);
  }

  /**
   * Honours {@code log=} before the options are known to be valid, so that the line saying they
   * are not goes where the user asked.
   */
  public static AgentLog forRawOptions(String options) {
    String target = "stderr";
    for (String option : options == null ? new String[0] : options.split(",")) {
      if (option.startsWith("log=") && option.length() > "log=".length()) {
        target = option.substring("log=".length());
      }
    }
    return new AgentLog(target, false);
  }

  public void info(String message) {
    write(message);
  }

  public void debug(String message) {
    if (debug) {
      write("debug: " + message);
    }
  }

  private synchronized void write(String message) {
    String line = PREFIX + message.replace('\n', ' ');
    switch (target) {
      case "none" -> { }
      case "stderr" -> System.err.println(line);
      default -> {
        try {
          // Created 0600, as the report's files are: the lines name paths and options.
          try (SeekableByteChannel file = Files.newByteChannel(Path.of(target),
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), FILE_MODE)) {
            file.write(ByteBuffer.wrap((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8)));
          }
        } catch (IOException | RuntimeException e) {
          System.err.println(line);
        }
      }
    }
  }
}
