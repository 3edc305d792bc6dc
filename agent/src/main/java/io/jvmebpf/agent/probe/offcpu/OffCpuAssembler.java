package io.jvmebpf.agent.probe.offcpu;

import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.OffCpuSummary;
import io.jvmebpf.agent.report.TimeSummary;
import io.jvmebpf.agent.report.profile.FrameNames;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.stacks.ResolvedStack;
import io.jvmebpf.agent.stacks.StackResolver;
import io.jvmebpf.agent.threads.ThreadRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The off-CPU profile and each thread's time, from the kernel's sums at report time: each key's
 * time goes first to the Java frames and reasons its long intervals were joined with, the rest
 * (short intervals, and those the JVM did not record) to the key's own stacks, reason told by the
 * kernel stack. Totals are the kernel's whatever was joined.
 */
final class OffCpuAssembler {
  private static final int TOP_STACKS = 10;

  record Result(Profile profile, Map<Integer, TimeSummary> times, Map<Integer, OffCpuSummary> offCpu,
      long offCpuNs, long javaNs) {}

  private record StackKey(List<Frame> frames, String reason, boolean joined) {}

  private final StackResolver resolver;
  private final SyscallTable syscalls;
  private final Map<Integer, Map<StackKey, long[]>> byThread = new TreeMap<>();

  OffCpuAssembler(StackResolver resolver, SyscallTable syscalls) {
    this.resolver = resolver;
    this.syscalls = syscalls;
  }

  /** Adds one key's off-CPU time, {@code ns}, split as {@code joined} says. */
  void add(OffCpuKey key, long ns, Map<JavaJoin, long[]> joined) {
    long left = ns;
    for (Map.Entry<JavaJoin, long[]> join : joined.entrySet()) {
      long part = Math.min(left, join.getValue()[0]);
      add(key, join.getKey(), part);
      left -= part;
    }
    add(key, null, left);
  }

  private void add(OffCpuKey key, JavaJoin join, long ns) {
    if (ns <= 0) {
      return;
    }
    ResolvedStack user = resolver.user(0, key.userStack());
    List<Frame> kernel = resolver.kernel(0, key.kernelStack());
    String syscall = key.syscall() >= 0 ? syscalls.name(key.syscall()) : null;
    String reason = OffCpuReasons.of(key.state(), syscall, kernel, join == null ? null : join.reason());
    if (kernel.isEmpty()) {
      // A short block: where in the kernel it slept was not walked, what it waited in is known.
      kernel = List.of(new Frame(syscall != null ? "[" + syscall + "]"
          : reason.equals(OffCpuReasons.PAGE_FAULT) ? "[page fault]" : "[blocked]", FrameKind.KERNEL));
    }
    List<Frame> java = join == null ? null : join.javaFrames();
    StackKey stack = new StackKey(user.with(java, kernel), reason, user.takesJava(java));
    byThread.computeIfAbsent(key.tid(), t -> new LinkedHashMap<>())
        .computeIfAbsent(stack, s -> new long[1])[0] += ns;
  }

  /** @param times each thread's account, the interval under way closed at the report */
  Result result(Map<Integer, ThreadTime> times, ThreadRegistry threads, ProfileSpan.Start clock) {
    List<StackSample> samples = new ArrayList<>();
    Map<Integer, TimeSummary> timeSummaries = new TreeMap<>();
    Map<Integer, OffCpuSummary> offCpu = new TreeMap<>();
    long offCpuNs = 0, javaNs = 0;
    for (Map.Entry<Integer, ThreadTime> entry : times.entrySet()) {
      int tid = entry.getKey();
      ThreadTime time = entry.getValue();
      String name = threads.identify(tid).name();
      Map<String, Long> byReason = new TreeMap<>();
      long threadJava = 0;
      Map<StackKey, long[]> stacks = byThread.getOrDefault(tid, Map.of());
      for (Map.Entry<StackKey, long[]> stack : stacks.entrySet()) {
        long ns = stack.getValue()[0];
        StackKey key = stack.getKey();
        samples.add(new StackSample(tid, name, key.frames(), ns, key.joined()));
        byReason.merge(key.reason(), ns, Long::sum);
        threadJava += StackResolver.innermostJava(key.frames()) != null ? ns : 0;
      }
      // Keys the kernel had no room for, and tids reused: their time has no stack.
      long unexplained = time.offCpuNs() - byReason.values().stream().mapToLong(Long::longValue).sum();
      if (unexplained > 0) {
        byReason.merge(OffCpuReasons.UNKNOWN, unexplained, Long::sum);
      }
      timeSummaries.put(tid, new TimeSummary(time.wallNs(), time.onCpuNs(), time.runQueueNs(),
          time.offCpuNs(), byReason, histogram(time.runQueueLog2()), instant(clock, time.startNs()),
          instant(clock, time.endNs())));
      offCpu.put(tid, new OffCpuSummary(threadJava, top(stacks)));
      offCpuNs += time.offCpuNs();
      javaNs += threadJava;
    }
    return new Result(new Profile("offcpu", 0, samples), timeSummaries, offCpu, offCpuNs, javaNs);
  }

  /** A CLOCK_MONOTONIC time as an instant, through the profile's start on both clocks; 0 is none. */
  private static Instant instant(ProfileSpan.Start clock, long monotonicNs) {
    return monotonicNs == 0 ? null : clock.instant(monotonicNs);
  }

  private static Map<Long, Long> histogram(long[] log2) {
    Map<Long, Long> buckets = new LinkedHashMap<>();
    for (int i = 0; i < log2.length; i++) {
      if (log2[i] != 0) {
        buckets.put((long) i, log2[i]);
      }
    }
    return buckets;
  }

  private static List<OffCpuSummary.Stack> top(Map<StackKey, long[]> stacks) {
    return stacks.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<StackKey, long[]> e) -> e.getValue()[0]).reversed())
        .limit(TOP_STACKS)
        .map(e -> new OffCpuSummary.Stack(e.getKey().reason(), e.getValue()[0], FrameNames.leafFirst(e.getKey().frames())))
        .toList();
  }
}
