package io.jvmebpf.agent.probe.cpu;

import static io.jvmebpf.agent.Closeables.closeQuietly;
import static io.jvmebpf.agent.probe.cpu.ProfileLayouts.*;
import static io.jvmebpf.agent.stacks.StackLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.config.CpuOptions;
import io.jvmebpf.agent.jit.JvmtiException;
import io.jvmebpf.agent.jit.VirtualThreadMounts;
import io.jvmebpf.agent.jvm.DiagnosticCommands;
import io.jvmebpf.agent.otel.SpanLinks;
import io.jvmebpf.agent.probe.EventRing;
import io.jvmebpf.agent.probe.LiveCounts;
import io.jvmebpf.agent.probe.PolledBpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.report.CpuInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.stacks.CodeSymbols;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.stacks.StackResolver;
import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.RingBuffer;
import io.jvmebpf.agent.vthreads.VirtualThreadTable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the JVM's threads on CPU with {@code profile.bpf.c} on one perf event per CPU. The
 * kernel counts samples per (thread, kernel stack, user stack); a poller names each new user stack
 * soon after it appears and joins every sample event with the JVM's own Java stack sample of that
 * thread nearest in time (JFR), which names the frames the kernel's walk cannot. Every
 * {@value #EPOCH_SECONDS} s, or sooner when the stack map fills, the poller turns the kernel to
 * its other pair of maps and, once the events of the old pair are joined, adds its counts to the
 * profile and empties it: the maps hold one epoch's stacks, whatever the length of the run.
 *
 * <p>With {@code vthreads=on}, the JVMTI helper writes which virtual thread each carrier runs into
 * {@code vthread_slots}, which the kernel reads at each sample: such a sample is the virtual
 * thread's ({@link ProfileAssembler}). The helper starts with the JIT map, once JFR has started.
 *
 * <p>Threads: see {@link PolledBpfProbe}; a round, the report and the release never overlap.
 */
public final class CpuProbe extends PolledBpfProbe {
  private static final int POLL_MS = 200;
  private static final int RESCAN_EVERY_ROUNDS = 5;
  /** How long events wait for JFR, which hands its samples over about once a second. */
  private static final long MIN_JOIN_DELAY_NS = 2_000_000_000L;
  private static final int PENDING_EVENTS = 65_536;
  private static final long EPOCH_SECONDS = 10;
  /**
   * How far apart a kernel sample and the JVM's sample of the same thread may be and still be
   * joined. The JVM samples at most a few threads per period, only those running Java or native
   * code, so a thread's nearest JVM sample is often a few periods away; a Java stack rarely
   * changes its frames below the leaf that fast, and the leaf itself comes from the kernel.
   */
  private static final long MIN_JOIN_GAP_NS = 200_000_000L;

  private final CpuOptions options;
  private final JavaSampleIndex javaSamples;
  /** Sample events waiting for the JVM's samples of the same moment: struct sample_event, as longs. */
  private final EventRing pending = new EventRing(PENDING_EVENTS, EVENT_BYTES / 8, (int) (EVENT_TIME_NS / 8));
  private final JoinedCounts joined = new JoinedCounts();
  private final SpanLinkIds links = new SpanLinkIds();
  private SpanLinks spanLinks = SpanLinks.NONE; // set before the poller starts
  private final long maxJoinGapNs;
  private final long joinDelayNs; // JFR's batch, and the JVM samples up to maxJoinGapNs after an event
  private PerfSampling sampling;
  private CodeSymbols symbols;
  private StackResolver resolver;
  private ProfileAssembler assembler;
  private BpfMap[] counts;
  private BpfMap epochMap;
  private int epoch; // the pair of maps samples go to; the poller's, then contribute's
  private long epochStartedNs;
  private int draining = -1; // the epoch waiting for its last joins before it is drained, or -1
  private long drainAtNs;
  private long lossesAtEpochStart; // stacks lost and samples uncounted, when the epoch began
  private volatile int epochsDrained;
  private final Map<Integer, Long> drainedSamples = new HashMap<>(); // per tid, in the poller's rounds
  private RingBuffer events;
  private ProbeContext context;
  private boolean preserveFramePointer;
  private ProfileSpan.Start started;
  private boolean exports; // profiles go out through OTLP: periods are kept
  private final long[] epochEndedNs = new long[2]; // when each pair of maps last stopped taking samples
  private long drainedUntilNs; // the end of the last epoch added to the profile
  private long exportedUntilNs; // the end of what the last period's export held
  private int rounds; // the poller's
  private VirtualThreadTable vthreads; // the session's, from the context
  private Arena vthreadArena; // the slots' mapping, kept mapped (anonymous) after release
  private AutoCloseable vthreadSlots; // the slots the helper writes into, null when not followed
  private volatile VirtualThreadMounts mounts; // null until started, and when it could not be
  private boolean mountsTried; // the poller's
  private long[] mountStatsAtStart;

  public CpuProbe(CpuOptions options, JavaSampleIndex javaSamples) {
    super("profile", POLL_MS);
    this.options = options;
    this.javaSamples = javaSamples;
    this.maxJoinGapNs = Math.max(20 * options.sampleWeightNs(), MIN_JOIN_GAP_NS);
    this.joinDelayNs = Math.max(MIN_JOIN_DELAY_NS, 1_000_000_000L + maxJoinGapNs);
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  protected long configSize() {
    return CONFIG_BYTES;
  }

  @Override
  protected void configure(MemorySegment rodata, BpfObject object, ProbeContext context) {
    object.map("stacks0").setMaxEntries(options.stacks());
    object.map("stacks1").setMaxEntries(options.stacks());
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    for (int e = 0; e < 2; e++) {
      requireSize(object.map("stacks" + e), 8, STACK_BYTES);
      requireSize(object.map("counts" + e), KEY_BYTES, 8);
    }
    requireSize(object.map("epoch"), 4, 4);
    requireSize(object.map("scratch"), 4, STACK_BYTES);
    requireSize(object.map("counters"), 4, 8);
    requireSize(object.map("vthread_slots"), 4, VirtualThreadMounts.SLOT_BYTES);
  }

  @Override
  protected void attach(BpfObject object, ProbeContext context) {
    started = ProfileSpan.Start.now();
    drainedUntilNs = exportedUntilNs = started.monotonicNanos();
    sampling = new PerfSampling(object.program("sample"), options, context.log());
    sampling.start();
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    this.context = context;
    preserveFramePointer = DiagnosticCommands.flagOn("PreserveFramePointer");
    symbols = context.symbols();
    resolver = new StackResolver(new BpfMap[] {object.map("stacks0"), object.map("stacks1")}, symbols);
    exports = context.options().otel().exports();
    vthreads = context.vthreads();
    assembler = new ProfileAssembler(resolver, javaSamples, vthreads, links, exports);
    spanLinks = context.spanLinks();
    if (options.vthreads()) {
      vthreadArena = Arena.ofShared();
      try {
        vthreadSlots = VirtualThreadMounts.publishInto(object.map("vthread_slots").mapSharedForNativeWriters(vthreadArena));
      } catch (JvmtiException | LinkageError e) {
        context.log().info("vthreads off: " + e.getMessage() + "; samples of virtual threads stay their carriers'");
      }
    }
    counts = new BpfMap[] {object.map("counts0"), object.map("counts1")};
    epochMap = object.map("epoch");
    epochStartedNs = System.nanoTime();
    events = RingBuffer.open(object.map("sample_events"), pending::add); // copies, allocates nothing
    startPolling("cpu", events, this::pollRound, context.log());
  }

  @Override
  public String note() {
    String framePointers = preserveFramePointer ? null : "without -XX:+PreserveFramePointer the kernel's"
        + " stack walk stops at JIT-compiled code, so Java frames come from the JVM's own samples (JFR)"
        + " nearest in time; add the flag for exact mixed stacks (it costs compiled code about 1-3%)";
    String fallback = sampling == null ? null : sampling.fallback();
    return fallback == null ? framePointers
        : framePointers == null ? fallback : fallback + "; " + framePointers;
  }

  /** One round of the poller, once its events are in: name, join, rotate. */
  private void pollRound() {
    symbols.refresh();
    if (symbols.ready()) {
      startMounts();
      drainNames();
      // Named now, within a poll of being sampled, while their JIT code is what was sampled.
      pending.visitNew((event, at) -> resolver.user(epoch(event, at), event[at + USER_STACK]));
      long now = System.nanoTime();
      join(now - joinDelayNs);
      rotate(now);
    }
    if (++rounds % RESCAN_EVERY_ROUNDS == 0) {
      sampling.rescan();
    }
  }

  /**
   * The JVMTI helper's mount events, started when the JIT map is (JFR started: a JVMTI environment
   * made while JFR starts can hang it); a JVM that refuses is said in one line, and the samples
   * stay their carriers'.
   */
  private void startMounts() {
    if (mountsTried || vthreadSlots == null) {
      return;
    }
    mountsTried = true;
    try {
      VirtualThreadMounts started = VirtualThreadMounts.start();
      mountStatsAtStart = started.stats();
      mounts = started;
    } catch (JvmtiException | LinkageError e) {
      context.log().info("vthreads off: " + e.getMessage() + "; samples of virtual threads stay their carriers'");
    }
  }

  private void drainNames() {
    VirtualThreadMounts started = mounts;
    if (started != null) {
      started.drain(vthreads::named);
    }
  }

  private void join(long before) {
    pending.drainBefore(before, (event, at) -> {
      int epoch = epoch(event, at);
      int tid = (int) event[at + TID_AND_EPOCH];
      long userStack = event[at + USER_STACK];
      long time = event[at + TIME];
      long vthread = event[at + VTHREAD];
      // Mounted, the JVM samples the virtual thread, not its carrier: joined by the virtual thread.
      int javaStack = vthread != 0
          ? javaSamples.nearestVirtual(vthread, time, maxJoinGapNs, mayJoinNative(epoch, userStack))
          : javaSamples.nearest(tid, time, maxJoinGapNs, mayJoinNative(epoch, userStack));
      // The span the thread was in when sampled (both clocks are CLOCK_MONOTONIC), for exports.
      int link = exports ? links.id(epoch, spanLinks.at(tid, time)) : SpanLinkIds.NONE;
      joined.add(new SampleKey(epoch, tid, event[at + KERNEL_STACK], userStack, vthread, javaStack, link));
    });
  }

  // struct sample_event as EventRing holds it: longs, tid and epoch sharing one (little-endian).
  private static final int TIME = (int) (EVENT_TIME_NS / 8);
  private static final int TID_AND_EPOCH = (int) ((EVENT_KEY + KEY_TID) / 8);
  private static final int KERNEL_STACK = (int) ((EVENT_KEY + KEY_KERNEL_STACK) / 8);
  private static final int USER_STACK = (int) ((EVENT_KEY + KEY_USER_STACK) / 8);
  private static final int VTHREAD = (int) ((EVENT_KEY + KEY_VTHREAD) / 8);

  private static int epoch(long[] event, int at) {
    return (int) (event[at + TID_AND_EPOCH] >>> ((KEY_EPOCH - KEY_TID) * 8));
  }

  /**
   * Whether a sample may take the JVM's sample of a thread in native code: when the kernel caught
   * it in native code, or when its user stack is missing or lost and says nothing of where it was.
   * Stack ids are unsigned 64-bit hashes: the markers are compared for equality only.
   */
  private boolean mayJoinNative(int epoch, long userStack) {
    return userStack == NO_STACK || userStack == STACK_LOST
        || resolver.user(epoch, userStack).leafNative() > 0;
  }

  /**
   * Turns the kernel to the other pair of maps when the epoch is old, its stack map a quarter full
   * (more distinct stacks than that usually mean more to come), or the kernel has started losing
   * stacks or samples to full maps; drains the old pair once its last events are joined.
   */
  private void rotate(long now) {
    if (draining >= 0 && now >= drainAtNs) {
      drain(draining);
      draining = -1;
    }
    long losses = losses();
    boolean due = now - epochStartedNs >= EPOCH_SECONDS * 1_000_000_000L
        || resolver.userStacks(epoch) > options.stacks() / 4
        || losses != lossesAtEpochStart;
    if (draining < 0 && due) {
      draining = epoch;
      epochEndedNs[epoch] = now;
      epoch = 1 - epoch;
      epochMap.setInt(0, epoch);
      epochStartedNs = now;
      lossesAtEpochStart = losses;
      drainAtNs = now + joinDelayNs + POLL_MS * 5 * 1_000_000L;
      javaSamples.forgetThreadsIdleSince(now - joinDelayNs - maxJoinGapNs);
    }
  }

  private long losses() {
    BpfMap counters = object().map("counters");
    return counters.counter(KERNEL_STACKS_LOST) + counters.counter(USER_STACKS_LOST) + counters.counter(KEYS_FULL);
  }

  /** Adds an epoch's counts to the profile and empties its maps; the kernel writes the other pair. */
  private void drain(int drained) {
    Map<SampleKey, Long> epochCounts = new HashMap<>();
    counts[drained].forEach((key, value) -> {
      epochCounts.put(
          new SampleKey(drained, key.get(JAVA_INT, KEY_TID), key.get(JAVA_LONG, KEY_KERNEL_STACK),
              key.get(JAVA_LONG, KEY_USER_STACK), key.get(JAVA_LONG, KEY_VTHREAD), SampleKey.NO_JAVA_STACK),
          value.get(JAVA_LONG, 0));
      drainedSamples.merge(key.get(JAVA_INT, KEY_TID), value.get(JAVA_LONG, 0), Long::sum);
    });
    assembler.add(epochCounts, joined);
    drainedUntilNs = epochEndedNs[drained];
    counts[drained].clear();
    resolver.forget(drained);
    joined.forget(drained);
    links.forget(drained);
    epochsDrained++;
  }

  @Override
  protected void detach(BpfObject object) {
    sampling.pause();
  }

  @Override
  protected void reattach(BpfObject object) {
    sampling.resume();
  }

  /**
   * Every thread's samples so far, for live metrics: those of the epochs drained, plus both
   * epochs' maps read now with lookups only. Between the poller's rounds, which drain and empty
   * the maps. Empty when the probe is not running.
   */
  public Map<Integer, Long> samplesPerThread() {
    Map<Integer, Long> byThread = new HashMap<>();
    inRound(() -> {
      if (object() == null) {
        return;
      }
      byThread.putAll(drainedSamples);
      for (BpfMap map : counts) {
        map.forEach((key, value) -> byThread.merge(key.get(JAVA_INT, KEY_TID), value.get(JAVA_LONG, 0), Long::sum));
      }
    });
    return byThread;
  }

  /** The CPU time one sample stands for, in nanoseconds (the sampling interval). */
  public long sampleWeightNs() {
    return options.sampleWeightNs();
  }

  @Override
  public LiveCounts liveCounts() {
    BpfObject loaded = object();
    if (loaded == null) {
      return LiveCounts.NONE;
    }
    BpfMap counters = loaded.map("counters");
    return new LiveCounts(counters.counter(SAMPLES), losses() + counters.counter(EVENTS_LOST));
  }

  /** CPUs with a sampling event now, and events closed because their CPU went offline. */
  int[] cpusNowAndOfflined() {
    return new int[] {sampling.attached(), sampling.offlined()};
  }

  /** Whether the JVMTI helper publishes mounts for this probe (started, not refused). */
  boolean followsVirtualThreads() {
    return mounts != null;
  }

  /** Epochs whose maps were drained and emptied so far. */
  int epochsDrained() {
    return epochsDrained;
  }

  /**
   * The samples of the epochs drained since the last call, for a periodic OTLP export: empty when
   * no epoch was (epochs end every 10 s, and are drained 2.5 s later); between the poller's rounds.
   */
  public List<ReportBuilder.ProfileFile> exportPeriod() {
    List<ReportBuilder.ProfileFile> period = new ArrayList<>(1);
    inRound(() -> {
      if (exports && assembler != null && drainedUntilNs > exportedUntilNs) {
        period.add(period());
      }
    });
    return period;
  }

  /** The profile since the last export, spanning the epochs it holds; marks it exported. */
  private ReportBuilder.ProfileFile period() {
    Profile profile = assembler.takePeriod(sampling.event(), options.sampleWeightNs(), context.threads());
    ProfileSpan span = new ProfileSpan(started.epochNanos() + (exportedUntilNs - started.monotonicNanos()),
        drainedUntilNs - exportedUntilNs);
    exportedUntilNs = drainedUntilNs;
    return new ReportBuilder.ProfileFile("cpu", profile, ProfileKind.CPU, span);
  }

  /** Sampling ends before JFR's last batch, and so that the kernel's counts and events agree. */
  @Override
  public void quiesce() {
    if (sampling != null) {
      sampling.close();
    }
  }

  @Override
  protected void report(BpfObject object, ReportBuilder report) {
    events.consume();
    symbols.refresh();
    drainNames();
    join(Long.MAX_VALUE);
    if (draining >= 0) {
      drain(draining);
      draining = -1;
    }
    epochEndedNs[epoch] = System.nanoTime(); // sampling has stopped (quiesce)
    drain(epoch);
    if (exports) {
      report.unexportedPart(period()); // what periodic exports have not sent yet
    }
    ProfileAssembler.Result result =
        assembler.result(sampling.event(), options.sampleWeightNs(), context.threads());
    result.perThread().forEach(report::cpu);
    report.profile(new ReportBuilder.ProfileFile("cpu", result.profile(), ProfileKind.CPU,
        started.until(System.nanoTime())));
    BpfMap counters = object.map("counters");
    long samples = Math.max(1, result.samples());
    report.cpuInfo(new CpuInfo(sampling.event(), options.sampleWeightNs(), sampling.cpusSampled(),
        counters.counter(SAMPLES), (double) result.javaSamples() / samples,
        (double) result.joinedSamples() / samples, preserveFramePointer));
    report.dropped("cpu.kernelStacksLost", counters.counter(KERNEL_STACKS_LOST));
    report.dropped("cpu.userStacksLost", counters.counter(USER_STACKS_LOST));
    report.dropped("cpu.samplesUncounted", counters.counter(KEYS_FULL));
    report.dropped("cpu.sampleEventsLost", counters.counter(EVENTS_LOST) + pending.dropped());
    report.dropped("cpu.cpusNotSampled", sampling.openFailures());
    report.dropped("cpu.cpusWentOffline", sampling.offlined());
    report.dropped("cpu.jvmSamplesDropped", javaSamples.dropped() + joined.overflow());
    report.dropped("cpu.samplesOfMoreStacks", assembler.overflow());
    report.dropped("cpu.spanLinksDropped", assembler.linksDropped());
    VirtualThreadMounts started = mounts;
    if (started != null) {
      long[] stats = started.stats();
      long mountsSeen = stats[VirtualThreadMounts.MOUNTS] - mountStatsAtStart[VirtualThreadMounts.MOUNTS];
      long unmountsSeen = stats[VirtualThreadMounts.UNMOUNTS] - mountStatsAtStart[VirtualThreadMounts.UNMOUNTS];
      report.virtualThreads(() -> vthreads.summary(mountsSeen, unmountsSeen, options.sampleWeightNs(),
          tid -> context.threads().identify(tid).name()));
      report.dropped("vthreads.slotCollisions",
          stats[VirtualThreadMounts.COLLISIONS] - mountStatsAtStart[VirtualThreadMounts.COLLISIONS]);
      report.dropped("vthreads.namesDropped",
          stats[VirtualThreadMounts.NAMES_DROPPED] - mountStatsAtStart[VirtualThreadMounts.NAMES_DROPPED]);
      report.dropped("vthreads.namesForgotten", vthreads.namesForgotten());
    }
  }

  /** Each resource closed whatever the others did; the session closes the shared JIT map. */
  @Override
  protected void release() {
    // The helper stops writing first; the slots' mapping then turns anonymous (never unmapped).
    closeQuietly(mounts);
    closeQuietly(vthreadSlots);
    closeQuietly(vthreadArena);
    closeQuietly(events);
    closeQuietly(sampling);
    closeQuietly(resolver);
  }
}
