package io.jvmebpf.agent.otel.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's own counters from {@code /proc/self/stat} (proc(5)): exact for the whole process,
 * threads that ended included, and there with or without BPF. Times are in clock ticks, which
 * {@code /proc} gives in USER_HZ, 100 a second on every Linux architecture the agent runs on.
 */
record ProcessStat(long minorFaults, long majorFaults, long userTicks, long systemTicks, long threads) {
  static final double TICKS_PER_SECOND = 100;

  /** Now; null when the file cannot be read (no /proc). */
  static ProcessStat read() {
    try {
      return parse(Files.readString(Path.of("/proc/self/stat")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Fields 10, 12, 14, 15 and 20, counted from the state after the command's closing parenthesis. */
  static ProcessStat parse(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return new ProcessStat(Long.parseLong(f[10 - 3]), Long.parseLong(f[12 - 3]), Long.parseLong(f[14 - 3]),
        Long.parseLong(f[15 - 3]), Long.parseLong(f[20 - 3]));
  }
}
