package io.jvmebpf.agent;

import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.probe.LiveCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * {@code progress=FILE}: the counts {@code status} gives, rewritten into a file every second, for
 * the progress line of {@code jvm-ebpf run}. The tool reads the file instead of sending {@code
 * status} through the Attach API, each of which would load the agent again: a JVMTI environment
 * the JVM never frees. Only an existing file is written (the tool makes it, owned and moded as it
 * chooses); once it is gone, the thread ends.
 */
final class ProgressFile implements AutoCloseable {
  private static final long PERIOD_MS = 1000;

  private final Thread thread;
  private volatile boolean running = true;

  private ProgressFile(Path file, Supplier<LiveCounts> counts, AgentLog log) {
    thread = AgentThreads.start("progress", () -> {
      while (running && write(file, counts.get(), log)) {
        try {
          Thread.sleep(PERIOD_MS);
        } catch (InterruptedException e) {
          return; // closed
        }
      }
    }, log);
  }

  /** Starts writing {@code file}, or returns null when no file was asked for. */
  static ProgressFile start(Path file, Supplier<LiveCounts> counts, AgentLog log) {
    return file == null ? null : new ProgressFile(file, counts, log);
  }

  /** The lines {@code status} has for the same counts; false once the file cannot be written. */
  private static boolean write(Path file, LiveCounts counts, AgentLog log) {
    try {
      Files.writeString(file, "samples: " + counts.samples() + "\nlost: " + counts.lost() + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      return true;
    } catch (IOException | RuntimeException e) {
      log.debug("progress: no longer written to " + file + ": " + e);
      return false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(PERIOD_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
