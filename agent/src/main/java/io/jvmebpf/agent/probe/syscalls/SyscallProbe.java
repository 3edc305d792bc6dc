package io.jvmebpf.agent.probe.syscalls;

import static io.jvmebpf.agent.Closeables.closeQuietly;
import static io.jvmebpf.agent.probe.syscalls.SyscallLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.probe.BpfProbe;
import io.jvmebpf.agent.jit.JvmtiException;
import io.jvmebpf.agent.jit.VirtualThreadMounts;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.vthreads.VirtualThreadTable;
import java.lang.foreign.Arena;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.SyscallSummary;
import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per thread and per syscall of the host JVM: count, errors, total and max latency and a log2
 * latency histogram, aggregated in the kernel by {@code syscalls.bpf.c} on the raw
 * {@code sys_enter}/{@code sys_exit} tracepoints. User space reads the map at report time, and
 * for JFR's periodic {@code jvmebpf.Syscall} events while a recording wants them. With
 * {@code vthreads=on}, a call made while a virtual thread was mounted on the thread counts also
 * under that virtual thread (its own {@code vthread_slots}, which the JVMTI helper writes too).
 */
public final class SyscallProbe extends BpfProbe {
  private final SyscallTable table;
  private final Set<String> filter;
  private final int maxPairs;
  private VirtualThreadTable vthreads; // null when virtual threads are not followed
  private Arena vthreadArena; // the slots' mapping, kept mapped (anonymous) after stop
  private AutoCloseable vthreadSlots;

  /**
   * @param filter the syscall names to trace, all when empty; each must be in {@code table}
   * @param maxPairs the size of the kernel's (thread, syscall) map; beyond it, counted as dropped
   */
  public SyscallProbe(SyscallTable table, Set<String> filter, int maxPairs) {
    super("syscalls");
    this.table = table;
    this.filter = filter;
    this.maxPairs = maxPairs;
  }

  /** Whether {@code name} is a syscall of this architecture that the program can trace. */
  public static boolean canTrace(SyscallTable table, String name) {
    return table.number(name).orElse(NR_LIMIT) < NR_LIMIT;
  }

  @Override
  public String name() {
    return "syscalls";
  }

  @Override
  protected void configure(MemorySegment rodata, BpfObject object, ProbeContext context) {
    object.map("stats").setMaxEntries(maxPairs);
    rodata.set(JAVA_INT, CONFIG_TRACE_ALL, filter.isEmpty() ? 1 : 0);
    for (String name : filter) {
      if (!canTrace(table, name)) {
        throw new IllegalArgumentException("syscall " + name + " cannot be traced: not below " + NR_LIMIT);
      }
      int nr = table.number(name).orElseThrow();
      long offset = CONFIG_TRACED + (nr / 64) * 8L;
      rodata.set(JAVA_LONG, offset, rodata.get(JAVA_LONG, offset) | (1L << (nr % 64)));
    }
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("stats"), KEY.byteSize(), STATS.byteSize());
    requireSize(object.map("vthread_slots"), 4, VirtualThreadMounts.SLOT_BYTES);
    requireSize(object.map("vthread_stats"), VTHREAD_KEY.byteSize(), VTHREAD_STATS.byteSize());
  }

  /** Virtual threads are followed where the CPU sampler follows them: it starts the mount events. */
  @Override
  protected void started(BpfObject object, ProbeContext context) {
    if (!context.options().cpu().on() || !context.options().cpu().vthreads()) {
      return;
    }
    vthreadArena = Arena.ofShared();
    try {
      vthreadSlots = VirtualThreadMounts.publishInto(object.map("vthread_slots").mapSharedForNativeWriters(vthreadArena));
      vthreads = context.vthreads();
    } catch (JvmtiException | LinkageError e) {
      context.log().debug("syscalls of virtual threads stay their carriers': " + e.getMessage());
    }
  }

  @Override
  protected void stopping() {
    closeQuietly(vthreadSlots);
    closeQuietly(vthreadArena);
  }

  /** A call entered before the pause and ended in it would otherwise be measured across it. */
  @Override
  protected void resuming(BpfObject object) {
    object.map("inflight").clear();
  }

  @Override
  protected long configSize() {
    return CONFIG.byteSize();
  }

  @Override
  public void contribute(ReportBuilder report) {
    BpfObject object = object();
    if (object == null) {
      return;
    }
    perThread().forEach(report::syscalls);
    BpfMap overflows = object.map("overflows");
    report.dropped("syscalls.statsMapFull", overflows.counter(OVERFLOW_STATS_FULL));
    report.dropped("syscalls.inflightMapFull", overflows.counter(OVERFLOW_INFLIGHT_FULL));
    if (vthreads != null) {
      object.map("vthread_stats").forEach((key, value) -> vthreads.syscalls(key.get(JAVA_LONG, VTHREAD_KEY_VTHREAD),
          table.name(key.get(JAVA_INT, VTHREAD_KEY_NR)), value.get(JAVA_LONG, STATS_COUNT),
          value.get(JAVA_LONG, STATS_ERRORS), value.get(JAVA_LONG, STATS_TOTAL_NS), value.get(JAVA_LONG, STATS_MAX_NS)));
      report.dropped("syscalls.vthreadStatsMapFull", overflows.counter(OVERFLOW_VTHREAD_STATS_FULL));
    }
  }

  /**
   * Every thread's syscalls so far, read from the kernel's map now: for the report, and for JFR's
   * periodic events while a recording wants them. Empty when the probe is not running.
   */
  public Map<Integer, List<SyscallSummary>> perThread() {
    BpfObject object = object();
    Map<Integer, List<SyscallSummary>> byThread = new HashMap<>();
    if (object != null) {
      object.map("stats").forEach((key, value) -> {
        int tid = key.get(JAVA_INT, KEY_TID);
        byThread.computeIfAbsent(tid, t -> new ArrayList<>()).add(summarize(key, value));
      });
    }
    return byThread;
  }

  private SyscallSummary summarize(MemorySegment key, MemorySegment value) {
    TreeMap<Long, Long> histogram = new TreeMap<>();
    for (int bucket = 0; bucket < LATENCY_BUCKETS; bucket++) {
      long n = value.get(JAVA_LONG, STATS_LATENCY + bucket * 8L);
      if (n != 0) {
        histogram.put(bucket == 0 ? 0L : 1L << bucket, n);
      }
    }
    return new SyscallSummary(
        table.name(key.get(JAVA_INT, KEY_NR)),
        value.get(JAVA_LONG, STATS_COUNT),
        value.get(JAVA_LONG, STATS_ERRORS),
        value.get(JAVA_LONG, STATS_TOTAL_NS),
        value.get(JAVA_LONG, STATS_MAX_NS),
        histogram);
  }
}
