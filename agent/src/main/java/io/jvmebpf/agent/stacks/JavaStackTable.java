package io.jvmebpf.agent.stacks;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.jfr.JavaFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Java stacks from JFR, each kept once, root first, under a small id; at most {@value #MAX_STACKS}.
 * Not thread-safe: its user guards it. Also the clock JFR stamps its events with, turned into the
 * kernel's.
 */
public final class JavaStackTable {
  static final int MAX_STACKS = 65_536;

  private final Map<List<Frame>, Integer> ids = new HashMap<>();
  private final List<List<Frame>> stacks = new ArrayList<>();
  /** CLOCK_MONOTONIC (System.nanoTime, bpf_ktime_get_ns) minus the epoch clock JFR stamps with. */
  private final long epochToMonotonic;

  public JavaStackTable() {
    Instant now = Instant.now();
    long monotonic = System.nanoTime();
    epochToMonotonic = monotonic - (now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }

  /** JFR's time of an event on the kernel's clock. */
  long monotonic(long epochNanos) {
    return epochNanos + epochToMonotonic;
  }

  /** The id of a stack JFR lists leaf first, or -1 when the table is full. */
  public int intern(List<JavaFrame> leafFirst) {
    List<Frame> rootFirst = new ArrayList<>(leafFirst.size());
    for (int i = leafFirst.size() - 1; i >= 0; i--) {
      JavaFrame frame = leafFirst.get(i);
      rootFirst.add(new Frame(JavaNames.withoutAddresses(frame.method()), kind(frame.type())));
    }
    Integer id = ids.get(rootFirst);
    if (id != null) {
      return id;
    }
    if (stacks.size() >= MAX_STACKS) {
      return -1;
    }
    List<Frame> frozen = List.copyOf(rootFirst);
    stacks.add(frozen);
    ids.put(frozen, stacks.size() - 1);
    return stacks.size() - 1;
  }

  /** Root first. */
  public List<Frame> stack(int id) {
    return stacks.get(id);
  }

  private static FrameKind kind(String jfrType) {
    return switch (jfrType) {
      case "Interpreted" -> FrameKind.INTERPRETED;
      case "Inlined" -> FrameKind.INLINED;
      default -> FrameKind.JIT; // "JIT compiled", "C1 compiled", "Native": Java methods all
    };
  }
}
