package io.jvmebpf.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A line on the terminal, rewritten every second while a JVM runs under the agent: elapsed time,
 * CPU samples and events lost, from the agent's {@code status}. Nothing at all when stderr is not a
 * terminal (a pipe, a file, CI), so logs stay clean.
 */
final class Progress implements AutoCloseable {
  private final Thread thread;
  private final PrintStream out = System.err;
  private volatile boolean running = true;
  private boolean shown; // guarded by this

  private Progress(long pid, AgentChannel channel) {
    long started = System.nanoTime();
    thread = Thread.ofPlatform().daemon().name("progress").start(() -> {
      while (running) {
        sleep(1000);
        String line = line(pid, channel, (System.nanoTime() - started) / 1_000_000_000L);
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

  /** Starts when stderr is a terminal; otherwise returns one that does nothing. */
  static Progress start(long pid, AgentChannel channel) {
    return isTerminal() ? new Progress(pid, channel) : null;
  }

  static boolean isTerminal() {
    return System.console() != null && System.console().isTerminal();
  }

  private static String line(long pid, AgentChannel channel, long seconds) {
    // Not before the agent's threads run: an attach request reaching a JVM still starting can end
    // it (the request is a SIGQUIT, fatal before the JVM handles it).
    if (!TargetJvm.agentRunning(Path.of("/proc", Long.toString(pid)))) {
      return null;
    }
    try {
      Reply status = channel.send(pid, "status", "");
      long samples = status.number("samples");
      long lost = status.number("lost");
      if (!status.ok() || samples < 0) {
        return null;
      }
      return String.format(Locale.ROOT, "[jvm-ebpf] %d s, %,d samples, %,d events lost", seconds, samples, lost);
    } catch (CliException e) {
      return null; // starting or ending: the next second says more
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
  }
}
