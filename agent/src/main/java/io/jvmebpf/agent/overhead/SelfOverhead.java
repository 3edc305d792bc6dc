package io.jvmebpf.agent.overhead;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures what the agent costs its host from inside, through {@code /proc} rather than
 * {@code java.lang.management}: the CPU time of its threads (named {@code jvm-ebpf-*}) and of the
 * JFR threads it starts, and the process's resident memory. (The management factory would load
 * the platform MXBean providers, the logging one among them, while the application starts.)
 */
public final class SelfOverhead {
  private static final Path TASKS = Path.of("/proc/self/task");

  private SelfOverhead() {}

  /** CPU time consumed so far by the agent's live threads and JFR's. */
  public static long agentThreadsCpuNs() {
    long total = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          if (isAgentThread(Files.readString(task.resolve("comm")).strip())) {
            total += onCpuNs(task);
          }
        } catch (IOException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      return total;
    }
    return total;
  }

  /** CPU time of the calling thread so far. */
  public static long currentThreadCpuNs() {
    try {
      return onCpuNs(Path.of("/proc/thread-self"));
    } catch (IOException e) {
      return 0;
    }
  }

  /** Thread names are cut to 15 characters in comm: these prefixes survive it. */
  static boolean isAgentThread(String comm) {
    return comm.startsWith("jvm-ebpf") || comm.startsWith("JFR ");
  }

  /** The first field of schedstat: nanoseconds on a CPU. */
  private static long onCpuNs(Path task) throws IOException {
    String schedstat = Files.readString(task.resolve("schedstat"));
    return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
  }

  /** VmRSS of this process in bytes, or 0 when /proc does not say. */
  public static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
