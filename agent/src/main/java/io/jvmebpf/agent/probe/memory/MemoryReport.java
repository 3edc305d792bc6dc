package io.jvmebpf.agent.probe.memory;

import static io.jvmebpf.agent.probe.memory.MemoryLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.config.MemoryOptions;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.MemoryInfo;
import io.jvmebpf.agent.report.NativeMemory;
import io.jvmebpf.agent.report.PageFaults;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.profile.FrameNames;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.stacks.StackResolver;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.BpfObject;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Reads the memory probe's maps once, at the report, into per-thread figures, totals and profiles. */
final class MemoryReport {
  private static final int TOP_OUTSTANDING = 20;

  /** Outstanding tracked blocks of one (thread, stack): what they stand for and the oldest. */
  private static final class Held {
    double bytes;
    double allocations;
    long oldestNs = Long.MAX_VALUE;
  }

  private record Site(int tid, long stack) {}

  private final BpfObject object;
  private final MemoryOptions options;
  private final ThreadRegistry threads;
  private final StackResolver resolver;
  private final ProfileSpan.Start clock;

  MemoryReport(BpfObject object, MemoryOptions options, ThreadRegistry threads, StackResolver resolver,
      ProfileSpan.Start clock) {
    this.object = object;
    this.options = options;
    this.threads = threads;
    this.resolver = resolver;
    this.clock = clock;
  }

  /** @param counts every thread's counts, as {@link MemoryProbe#perThread()} read them */
  void addTo(ReportBuilder report, Map<Integer, ThreadCounts> counts) {
    ProfileSpan span = clock.until(System.nanoTime());
    Map<Site, Held> held = new HashMap<>();
    int trackedBlocks = outstanding(held);
    Map<Integer, Held> heldByThread = new HashMap<>();
    Held heldByAll = new Held();
    for (Map.Entry<Site, Held> site : held.entrySet()) {
      for (Held sum : List.of(heldByThread.computeIfAbsent(site.getKey().tid(), tid -> new Held()), heldByAll)) {
        sum.bytes += site.getValue().bytes;
        sum.allocations += site.getValue().allocations;
      }
    }
    counts.forEach((tid, thread) -> {
      Held mine = heldByThread.getOrDefault(tid, new Held());
      NativeMemory nativeMemory = options.nativeOn()
          ? new NativeMemory(thread.mallocCalls(), thread.mallocBytes(), thread.freeCalls(), Math.round(mine.bytes),
              Math.round(mine.allocations), thread.mmapCalls(), thread.mmapBytes(), thread.munmapCalls(),
              thread.munmapBytes(), thread.brkCalls(), thread.brkBytes())
          : null;
      PageFaults pageFaults = options.faults() && thread.faults() > 0 ? pageFaults(tid, thread) : null;
      if (nativeMemory != null || pageFaults != null) {
        report.memory(tid, nativeMemory, pageFaults);
      }
    });
    Collection<ThreadCounts> all = counts.values();
    report.memoryInfo(new MemoryInfo(options.nativeOn(), options.sampleBytes(), options.maxBlocks(),
        sum(all, ThreadCounts::mallocCalls), sum(all, ThreadCounts::mallocBytes), sum(all, ThreadCounts::freeCalls),
        Math.round(heldByAll.bytes), Math.round(heldByAll.allocations), trackedBlocks,
        options.faults() ? sum(all, ThreadCounts::faults) : null, top(held)));
    if (options.nativeOn()) {
      report.profile(new ReportBuilder.ProfileFile("native-alloc", allocationProfile(), ProfileKind.NATIVE_ALLOC, span));
    }
    if (options.faults()) {
      report.profile(new ReportBuilder.ProfileFile("faults", faultProfile(), ProfileKind.PAGE_FAULTS, span));
    }
  }

  private static long sum(Collection<ThreadCounts> all, ToLongFunction<ThreadCounts> field) {
    return all.stream().mapToLong(field).sum();
  }

  /** Sums the tracked blocks not freed by the thread and stack that allocated them; returns how many. */
  private int outstanding(Map<Site, Held> held) {
    return object.map("allocations").forEach((key, value) -> {
      long size = value.get(JAVA_LONG, ALLOCATION_SIZE);
      long weight = value.get(JAVA_LONG, ALLOCATION_WEIGHT);
      Held h = held.computeIfAbsent(
          new Site(value.get(JAVA_INT, ALLOCATION_TID), value.get(JAVA_LONG, ALLOCATION_STACK)), s -> new Held());
      h.bytes += weight;
      // A sampled block stands for weight / size blocks of its size.
      h.allocations += size == 0 ? 1 : (double) weight / size;
      h.oldestNs = Math.min(h.oldestNs, value.get(JAVA_LONG, ALLOCATION_NS));
    });
  }

  private List<MemoryInfo.Outstanding> top(Map<Site, Held> held) {
    return held.entrySet().stream()
        .sorted(Comparator.comparingDouble((Map.Entry<Site, Held> e) -> e.getValue().bytes).reversed())
        .limit(TOP_OUTSTANDING)
        .map(e -> new MemoryInfo.Outstanding(
            e.getKey().tid(), threads.identify(e.getKey().tid()).name(), Math.round(e.getValue().bytes),
            Math.round(e.getValue().allocations), clock.instant(e.getValue().oldestNs),
            FrameNames.leafFirst(resolver.user(0, e.getKey().stack()).frames())))
        .toList();
  }

  /** Bytes allocated at each (thread, stack), freed or not, as the tracked blocks stand for them. */
  private Profile allocationProfile() {
    List<StackSample> samples = new ArrayList<>();
    object.map("sites").forEach((key, value) -> samples.add(sample(key, value.get(JAVA_LONG, SITE_BYTES))));
    return new Profile("native-alloc", 0, samples);
  }

  private Profile faultProfile() {
    List<StackSample> samples = new ArrayList<>();
    object.map("fault_sites").forEach((key, value) -> samples.add(sample(key, value.get(JAVA_LONG, 0))));
    return new Profile("faults", 0, samples);
  }

  private StackSample sample(MemorySegment siteKey, long count) {
    int tid = siteKey.get(JAVA_INT, SITE_TID);
    return new StackSample(tid, threads.identify(tid).name(),
        resolver.user(0, siteKey.get(JAVA_LONG, SITE_STACK)).frames(), count, false);
  }

  /** Minor and major: the kernel's counters at the thread's exit, or now from /proc while it lives. */
  private static PageFaults pageFaults(int tid, ThreadCounts thread) {
    long[] end = thread.exited() ? new long[] {thread.minorEnd(), thread.majorEnd()} : procFaults(tid);
    return end == null
        ? new PageFaults(thread.faults(), null, null)
        : new PageFaults(thread.faults(), Math.max(0, end[0] - thread.minorStart()),
            Math.max(0, end[1] - thread.majorStart()));
  }

  /** minflt and majflt (fields 10 and 12) of /proc/self/task/TID/stat, or null once it is gone. */
  static long[] procFaults(int tid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
    } catch (IOException e) {
      return null;
    }
    // The name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): minflt is field 10, majflt field 12.
    return new long[] {Long.parseLong(fields[7]), Long.parseLong(fields[9])};
  }
}
