package io.jvmebpf.agent.probe.offcpu;

import static io.jvmebpf.agent.Closeables.closeQuietly;
import static io.jvmebpf.agent.probe.offcpu.OffCpuLayouts.*;
import static io.jvmebpf.agent.stacks.StackLayouts.STACK_BYTES;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.config.OffCpuOptions;
import io.jvmebpf.agent.jfrevents.OffCpuEvent;
import io.jvmebpf.agent.probe.PolledBpfProbe;
import io.jvmebpf.agent.probe.EventRing;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.report.OffCpuInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.stacks.JavaBlockIndex;
import io.jvmebpf.agent.stacks.StackResolver;
import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.KernelRelease;
import io.jvmebpf.bpf.RingBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Follows the JVM's threads through the scheduler with {@code offcpu.bpf.c}: the kernel sums each
 * thread's time on CPU, in the run queue and off CPU, and off-CPU time per (thread, state, kernel
 * stack, user stack). Intervals of at least {@code offcpu.min} also come up as events, which a
 * poller joins, once JFR has delivered the same moment, with the JVM's record of the block
 * (sleep, park, monitor, I/O: Java frames and the reason) or its sample of the thread in native
 * code. Ended threads' accounts are read and removed from the kernel as the run goes, so the
 * thread map holds live threads only.
 *
 * <p>Threads: see {@link PolledBpfProbe}; a round, the report and the release never overlap.
 */
public final class OffCpuProbe extends PolledBpfProbe {
  private static final int POLL_MS = 200;
  private static final int SCAN_EVERY_ROUNDS = 10;
  private static final int PENDING_EVENTS = 65_536;
  private static final int MAX_ENDED_THREADS = 65_536;
  /** How long events wait for JFR, which hands its events over about once a second. */
  private static final long JOIN_DELAY_NS = 2_500_000_000L;

  private final OffCpuOptions options;
  private final SyscallTable syscalls;
  private final EventRing pending = new EventRing(PENDING_EVENTS, EVENT_BYTES / 8, (int) (EVENT_END_NS / 8));
  private final JoinedTime joined = new JoinedTime();
  private final Map<Integer, ThreadTime> ended = new HashMap<>();
  private long endedDropped;
  private long longIntervals; // events drained: intervals of at least offcpu.min
  private ProbeContext context;
  private StackResolver resolver;
  private RingBuffer events;
  private int rounds;
  private ProfileSpan.Start started;
  private volatile long detachedAtNs; // 0 until quiesced for the report
  private long pausedAtNs; // when the last pause began

  /** @param syscalls names the syscalls threads blocked in */
  public OffCpuProbe(OffCpuOptions options, SyscallTable syscalls) {
    super("offcpu", POLL_MS);
    this.options = options;
    this.syscalls = syscalls;
  }

  @Override
  public String name() {
    return "offcpu";
  }

  @Override
  protected long configSize() {
    return CONFIG_BYTES;
  }

  @Override
  protected void configure(MemorySegment rodata, BpfObject object, ProbeContext context) {
    KernelRelease.current().require(5, 18, "the state a thread leaves its CPU in, an argument of sched_switch since 5.18");
    started = ProfileSpan.Start.now(); // System.nanoTime() is bpf_ktime_get_ns()'s clock
    rodata.set(JAVA_LONG, CONFIG_MIN_NS, options.minNs());
    rodata.set(JAVA_LONG, CONFIG_START_NS, started.monotonicNanos());
    object.map("threads").setMaxEntries(options.threads());
    object.map("stacks").setMaxEntries(options.stacks());
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("threads"), 4, THREAD_BYTES);
    requireSize(object.map("totals"), KEY_BYTES, TOTAL_BYTES);
    requireSize(object.map("stacks"), 8, STACK_BYTES);
    requireSize(object.map("kernel_scratch"), 4, STACK_BYTES);
    requireSize(object.map("user_scratch"), 4, STACK_BYTES);
    requireSize(object.map("counters"), 4, 8);
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    this.context = context;
    resolver = new StackResolver(new BpfMap[] {object.map("stacks")}, context.symbols());
    events = RingBuffer.open(object.map("intervals"), pending::add);
    startPolling("offcpu", events, this::pollRound, context.log());
  }

  /** One round of the poller: wait for events, then join, and now and then tidy, under {@link #round}. */
  private void pollRound() {
    context.symbols().refresh();
    if (!context.symbols().ready()) {
      return; // stacks named now would keep unnamed JIT frames
    }
    long now = System.nanoTime();
    join(now - JOIN_DELAY_NS);
    if (++rounds % SCAN_EVERY_ROUNDS == 0) {
      nameNewUserStacks();
      readEndedThreads();
      long idleSince = now - JOIN_DELAY_NS - 10_000_000_000L;
      context.javaBlocks().forgetThreadsIdleSince(idleSince);
      context.javaSamples().forgetThreadsIdleSince(idleSince); // the CPU probe may be off
    }
  }


  /** Joins the intervals that ended before {@code before} with what the JVM recorded of them. */
  private void join(long before) {
    JavaBlockIndex blocks = context.javaBlocks();
    pending.drainBefore(before, (data, at) -> {
      long start = data[at + (int) (EVENT_START_NS / 8)];
      long end = data[at + (int) (EVENT_END_NS / 8)];
      OffCpuKey key = OffCpuKey.read(MemorySegment.ofArray(data), at * 8L + EVENT_KEY);
      JavaJoin java = null;
      JavaBlockIndex.Match block = blocks.overlapping(key.tid(), start, end);
      if (block != null) {
        java = new JavaJoin(blocks.stack(block.stack()), block.kind().reason);
      } else {
        int sample = context.javaSamples().nativeWithin(key.tid(), start, end);
        if (sample >= 0) {
          java = new JavaJoin(context.javaSamples().stack(sample), null);
        }
      }
      longIntervals++;
      resolver.user(0, key.userStack()); // named while its JIT code is still what was walked
      if (java != null) {
        joined.add(key, java, end - start);
      }
      OffCpuEvent event = new OffCpuEvent();
      if (event.shouldCommit()) {
        send(event, key, start, end, java);
      }
    });
  }

  /** The interval as a JFR event, with the reason and stacks the report gives it. */
  private void send(OffCpuEvent event, OffCpuKey key, long start, long end, JavaJoin java) {
    List<Frame> kernel = resolver.kernel(0, key.kernelStack());
    String syscall = key.syscall() >= 0 ? syscalls.name(key.syscall()) : OffCpuReasons.syscall(kernel);
    event.send(context.threads().identify(key.tid()), started.instant(start), end - start,
        OffCpuReasons.of(key.state(), syscall, kernel, java == null ? null : java.reason()), syscall, kernel,
        java == null ? List.of() : java.javaFrames());
  }

  /** Names the user stacks of short intervals too while their JIT code is fresh. */
  private void nameNewUserStacks() {
    object().map("totals").forEach((key, value) -> resolver.user(0, key.get(JAVA_LONG, KEY_USER_STACK)));
  }

  /** Moves ended threads' accounts out of the kernel's map, which then holds live threads only. */
  private void readEndedThreads() {
    readThreads(value -> value.get(JAVA_INT, THREAD_PHASE) == ENDED, 0);
  }

  /**
   * Moves the accounts {@code ended} picks out of the kernel's map into {@link #ended}, each
   * closed at its end, or at {@code endNs} when the kernel did not see it end.
   */
  private void readThreads(Predicate<MemorySegment> ended, long endNs) {
    BpfMap threads = object().map("threads");
    List<Integer> done = new ArrayList<>(); // kernel tids
    threads.forEach((key, value) -> {
      if (ended.test(value)) {
        done.add(key.get(JAVA_INT, 0));
      }
    });
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocate(JAVA_INT);
      MemorySegment value = arena.allocate(THREAD_BYTES, 8);
      for (int kernelTid : done) {
        key.set(JAVA_INT, 0, kernelTid);
        // Read again just before: a new thread may have taken the tid since (tids are reused).
        if (!threads.lookup(key, value) || !ended.test(value)) {
          continue;
        }
        threads.delete(key);
        int tid = value.get(JAVA_INT, THREAD_KEY + KEY_TID);
        if (this.ended.size() >= MAX_ENDED_THREADS && !this.ended.containsKey(tid)) {
          endedDropped++;
        } else {
          this.ended.merge(tid, ThreadTime.read(value, endNs, started.monotonicNanos()).endedBy(endNs),
              ThreadTime::plus);
        }
      }
    }
  }

  /**
   * Every thread's time so far, ended threads' included, read now with lookups only (the maps
   * are not changed): for live metrics. Between the poller's rounds, which move ended threads out
   * of the kernel's map. Empty when the probe is not running.
   */
  public Map<Integer, ThreadCpu> perThread() {
    Map<Integer, ThreadCpu> byThread = new HashMap<>();
    inRound(() -> {
      BpfObject object = object();
      if (object == null) {
        return;
      }
      long now = detachedAtNs != 0 ? detachedAtNs : System.nanoTime();
      ended.forEach((tid, time) -> byThread.put(tid, new ThreadCpu(time.onCpuNs(), time.runQueueNs(), time.offCpuNs())));
      object.map("threads").forEach((key, value) -> {
        ThreadTime time = ThreadTime.read(value, now, started.monotonicNanos());
        byThread.merge(value.get(JAVA_INT, THREAD_KEY + KEY_TID),
            new ThreadCpu(time.onCpuNs(), time.runQueueNs(), time.offCpuNs()),
            (a, b) -> new ThreadCpu(a.onCpuNs() + b.onCpuNs(), a.runQueueNs() + b.runQueueNs(),
                a.offCpuNs() + b.offCpuNs()));
      });
    });
    return byThread;
  }

  /**
   * The process's off-CPU time so far by the syscall its threads blocked in (null: none, such as a
   * page fault or a preemption), of the intervals that ended: for live metrics, lookups only.
   */
  public Map<String, Long> blockedBySyscall() {
    Map<String, Long> bySyscall = new HashMap<>();
    inRound(() -> {
      BpfObject object = object();
      if (object != null) {
        object.map("totals").forEach((key, value) -> {
          int nr = key.get(JAVA_INT, KEY_SYSCALL);
          bySyscall.merge(nr >= 0 ? syscalls.name(nr) : "none", value.get(JAVA_LONG, TOTAL_NS), Long::sum);
        });
      }
    });
    return bySyscall;
  }

  /** Notes when the pause began: threads that end in it are ended then (see {@link #resuming}). */
  @Override
  protected void detach(BpfObject object) {
    super.detach(object);
    pausedAtNs = System.nanoTime();
  }

  /**
   * A thread's end is its last switch-out, which a pause does not see: the entries of threads
   * that ended during it (no longer in /proc/self/task) are read out as ended at the pause's
   * start and deleted, so that no dead thread accrues the time since, nor passes it on to a new
   * thread that gets its tid.
   */
  @Override
  protected void resuming(BpfObject object) {
    inRound(() -> {
      Set<Integer> alive = new HashSet<>(ProcessTasks.tids());
      if (alive.isEmpty()) {
        return; // no /proc: the entries stay, as before the pause
      }
      readThreads(value -> !alive.contains(value.get(JAVA_INT, THREAD_KEY + KEY_TID)), pausedAtNs);
    });
  }

  /**
   * Detaches the programs: the report then reads maps that hold still, so that no block is
   * counted both as ended (in totals) and as under way (in its thread's entry).
   */
  @Override
  public void quiesce() {
    BpfObject loaded = object();
    if (loaded != null && detachedAtNs == 0) {
      loaded.detachAll();
      detachedAtNs = System.nanoTime();
    }
  }

  @Override
  protected void report(BpfObject object, ReportBuilder report) {
    events.consume();
    context.symbols().refresh();
    join(Long.MAX_VALUE);
    readEndedThreads();
    // Each live thread's interval under way closes when the programs were detached, and one off
    // CPU is summed under its key; the maps hold still since.
    long now = detachedAtNs;
    Map<Integer, ThreadTime> times = new HashMap<>(ended);
    Map<OffCpuKey, long[]> totals = new HashMap<>();
    object.map("threads").forEach((key, value) -> {
      OffCpuKey block = OffCpuKey.read(value, THREAD_KEY);
      times.merge(block.tid(), ThreadTime.read(value, now, started.monotonicNanos()), ThreadTime::plus);
      long since = value.get(JAVA_LONG, THREAD_SINCE_NS);
      if (value.get(JAVA_INT, THREAD_PHASE) == OFF_CPU && now > since) {
        totals.computeIfAbsent(block, k -> new long[1])[0] += now - since;
      }
    });
    // Threads the scheduler never moved since the start: blocked throughout, for reasons unseen.
    for (int tid : ProcessTasks.tids()) {
      times.putIfAbsent(tid, ThreadTime.blockedThroughout(started.monotonicNanos(), now));
    }
    long[] intervals = new long[1];
    object.map("totals").forEach((key, value) -> {
      totals.computeIfAbsent(OffCpuKey.read(key, 0), k -> new long[1])[0] += value.get(JAVA_LONG, TOTAL_NS);
      intervals[0] += value.get(JAVA_LONG, TOTAL_INTERVALS);
    });
    OffCpuAssembler assembler = new OffCpuAssembler(resolver, syscalls);
    totals.forEach((key, ns) -> assembler.add(key, ns[0], joined.of(key)));
    OffCpuAssembler.Result result = assembler.result(times, context.threads(), started);
    result.times().forEach(report::time);
    result.offCpu().forEach(report::offCpu);
    report.profile(new ReportBuilder.ProfileFile("offcpu", result.profile(), ProfileKind.OFF_CPU,
        started.until(now)));
    report.offCpuInfo(new OffCpuInfo(options.minNs(), intervals[0], longIntervals,
        (double) result.javaNs() / Math.max(1, result.offCpuNs())));
    BpfMap counters = object.map("counters");
    report.dropped("offcpu.kernelStacksLost", counters.counter(KERNEL_STACKS_LOST));
    report.dropped("offcpu.userStacksLost", counters.counter(USER_STACKS_LOST));
    report.dropped("offcpu.intervalsUncounted", counters.counter(KEYS_FULL));
    report.dropped("offcpu.intervalEventsLost", counters.counter(EVENTS_LOST) + pending.dropped());
    report.dropped("offcpu.threadMapFull", counters.counter(THREADS_FULL) + endedDropped);
    report.dropped("offcpu.intervalsUnjoined", joined.overflow());
    report.dropped("offcpu.jvmBlocksDropped", context.javaBlocks().dropped());
    report.dropped("offcpu.switchesOutOfOrder", counters.counter(OUT_OF_ORDER));
  }

  @Override
  protected void release() {
    closeQuietly(events);
    closeQuietly(resolver);
  }

}
