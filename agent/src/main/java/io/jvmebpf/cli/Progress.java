package io.jvmebpf.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * A line on the terminal, rewritten every second while a JVM runs under the agent: elapsed time,
 * CPU samples and events lost, from the file the agent rewrites every second ({@code progress=}),
 * not from {@code status}: each command loads the agent again through the Attach API, a JVMTI
 * environment the target never frees. Nothing at all when stderr is not a terminal (a pipe, a
 * file, CI), so logs stay clean.
 */
final class Progress implements AutoCloseable {
  private final Path file;
  private final Thread thread;
  private final PrintStream out = System.err;
  private volatile boolean running = true;
  private boolean shown; // guarded by this

  private Progress(Path file) {
    this.file = file;
    long started = System.nanoTime();
    thread = Thread.ofPlatform().daemon().name("progress").start(() -> {
      while (running) {
        sleep(1000);
        String line = line(file, (System.nanoTime() - started) / 1_000_000_000L);
        synchronized (this) {
          if (running && line != null) {
            out.print("\r\033[K" + line);
            out.flush();
            shown = true;
          }
        }
      }
    });
  }

  /**
   * On a terminal, makes the file the agent is to write (this user's only) and starts showing it;
   * otherwise, or when the file cannot be made, returns null.
   */
  static Progress start() {
    if (!isTerminal()) {
      return null;
    }
    try {
      return new Progress(Files.createTempFile("jvm-ebpf-progress-", ".txt",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
    } catch (IOException | UnsupportedOperationException e) {
      return null; // no progress line; the run goes on
    }
  }

  /** The agent's option that has it write this line's counts. */
  String agentOption() {
    return "progress=" + file;
  }

  static boolean isTerminal() {
    return System.console() != null && System.console().isTerminal();
  }

  /** The line, or null until the agent has written its counts (or while it rewrites them). */
  private static String line(Path file, long seconds) {
    try {
      Reply counts = Reply.parse("ok\n" + Files.readString(file, StandardCharsets.UTF_8));
      long samples = counts.number("samples");
      long lost = counts.number("lost");
      if (samples < 0 || lost < 0) {
        return null;
      }
      return String.format(Locale.ROOT, "[jvm-ebpf] %d s, %,d samples, %,d events lost", seconds, samples, lost);
    } catch (IOException | RuntimeException e) {
      return null; // the next second says more
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    synchronized (this) {
      if (shown) {
        out.print("\r\033[K");
        out.flush();
      }
    }
    try {
      Files.deleteIfExists(file); // the agent, if still running, then stops writing it
    } catch (IOException e) {
      // a file in the temporary folder is left behind
    }
  }
}
