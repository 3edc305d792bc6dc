package io.jvmebpf.agent.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The log line that says, at the report, what a bounded map or buffer could not hold: every
 * non-zero {@code agent.dropped} counter with the option that would have made room, so that a
 * loss is never only a number in {@code summary.json}.
 */
public final class DroppedLine {
  /** Counters that count something other than a loss; they stay in summary.json only. */
  private static final List<String> NOT_LOSSES = List.of("offcpu.switchesOutOfOrder", "cpu.cpusWentOffline");
  /** The option that makes room, for the counters that have one. */
  private static final Map<String, String> FIXES = Map.of(
      "syscalls.statsMapFull", "raise syscalls.max",
      "cpu.kernelStacksLost", "raise cpu.stacks",
      "cpu.userStacksLost", "raise cpu.stacks",
      "cpu.sampleEventsLost", "sample less often (interval=)",
      "offcpu.threadMapFull", "raise offcpu.threads",
      "offcpu.kernelStacksLost", "raise offcpu.stacks",
      "offcpu.userStacksLost", "raise offcpu.stacks",
      "offcpu.intervalEventsLost", "raise offcpu.min: fewer blocks become events",
      "net.connectionsMapFull", "raise net.max",
      "memory.allocationsMapFull", "raise nativemem.max");

  private DroppedLine() {}

  /** The line, or empty when nothing was lost. */
  public static Optional<String> of(Map<String, Long> dropped) {
    List<String> lost = new ArrayList<>();
    new TreeMap<>(dropped).forEach((name, count) -> {
      if (count > 0 && !NOT_LOSSES.contains(name)) {
        String fix = FIXES.get(name);
        lost.add(name + "=" + count + (fix == null ? "" : " (" + fix + ")"));
      }
    });
    return lost.isEmpty() ? Optional.empty()
        : Optional.of("some events did not fit the agent's bounded maps and buffers and were counted, not kept"
            + " (agent.dropped in summary.json): " + String.join(", ", lost));
  }
}
