package io.jvmebpf.agent.overhead;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures what the agent costs its host from inside: the CPU time of its threads (named
 * {@code jvm-ebpf-*}) and of the JFR threads it starts, and the process's resident memory.
 */
public final class SelfOverhead {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private SelfOverhead() {}

  /** CPU time consumed so far by the agent's live threads and JFR's. */
  public static long agentThreadsCpuNs() {
    long total = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null && isAgentThread(info.getThreadName())) {
        long cpu = THREADS.getThreadCpuTime(info.getThreadId());
        total += Math.max(0, cpu);
      }
    }
    return total;
  }

  public static long currentThreadCpuNs() {
    return Math.max(0, THREADS.getCurrentThreadCpuTime());
  }

  static boolean isAgentThread(String name) {
    return name.startsWith("jvm-ebpf") || name.startsWith("JFR ");
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
