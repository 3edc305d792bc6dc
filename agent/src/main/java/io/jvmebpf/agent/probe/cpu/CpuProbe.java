package io.jvmebpf.agent.probe.cpu;

import static io.jvmebpf.agent.Closeables.closeQuietly;
import static io.jvmebpf.agent.probe.cpu.ProfileLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.Poller;
import io.jvmebpf.agent.config.CpuOptions;
import io.jvmebpf.agent.jvm.DiagnosticCommands;
import io.jvmebpf.agent.probe.BpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.report.CpuInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.RingBuffer;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.HashMap;
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
 * <p>Threads: a round of the poller (after its wait), {@link #contribute} and {@link #stopping}
 * each hold {@link #round}, so the report never races a round still running when the poller
 * outlived its join.
 */
public final class CpuProbe extends BpfProbe {
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
  private final PendingSamples pending = new PendingSamples(PENDING_EVENTS);
  private final JoinedCounts joined = new JoinedCounts();
  private final long maxJoinGapNs;
  private final long joinDelayNs; // JFR's batch, and the JVM samples up to maxJoinGapNs after an event
  private final Object round = new Object();
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
  private RingBuffer events;
  private ProbeContext context;
  private boolean preserveFramePointer;
  private long startedNanos;
  private long startedEpochNanos;
  private Poller poller;
  private int rounds; // the poller's

  public CpuProbe(CpuOptions options, JavaSampleIndex javaSamples) {
    super("profile");
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
  }

  @Override
  protected void attach(BpfObject object, ProbeContext context) {
    Instant now = Instant.now();
    startedEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    startedNanos = System.nanoTime();
    sampling = new PerfSampling(object.program("sample"), options, context.log());
    sampling.start();
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    this.context = context;
    preserveFramePointer = DiagnosticCommands.flagOn("PreserveFramePointer");
    symbols = ProcessCodeSymbols.open(context.log(), context.jfrStarted());
    resolver = new StackResolver(new BpfMap[] {object.map("stacks0"), object.map("stacks1")}, symbols);
    assembler = new ProfileAssembler(resolver, javaSamples);
    counts = new BpfMap[] {object.map("counts0"), object.map("counts1")};
    epochMap = object.map("epoch");
    epochStartedNs = System.nanoTime();
    events = RingBuffer.open(object.map("sample_events"), this::onEvent);
    poller = Poller.start("cpu", this::pollRound, context.log());
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

  /** The ring buffer's callback: no allocation, the event waits for its JVM sample. */
  private void onEvent(MemorySegment event) {
    if (event.byteSize() < EVENT_BYTES) {
      return;
    }
    pending.add(
        event.get(JAVA_LONG, EVENT_TIME_NS),
        event.get(JAVA_INT, EVENT_KEY + KEY_EPOCH),
        event.get(JAVA_INT, EVENT_KEY + KEY_TID),
        event.get(JAVA_LONG, EVENT_KEY + KEY_KERNEL_STACK),
        event.get(JAVA_LONG, EVENT_KEY + KEY_USER_STACK));
  }

  /** One round of the poller: wait for events, then name, join, rotate, under {@link #round}. */
  private void pollRound() {
    long started = System.nanoTime();
    events.poll(POLL_MS);
    // At most one round per poll period, however fast events come: the ring holds seconds.
    long left = POLL_MS - (System.nanoTime() - started) / 1_000_000;
    if (left > 0) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the round runs on: stop() ends the loop
      }
    }
    synchronized (round) {
      if (!poller.running()) {
        return;
      }
      symbols.refresh();
      if (symbols.ready()) {
        // Named now, within a poll of being sampled, while their JIT code is what was sampled.
        pending.visitNew((timeNs, epoch, tid, kernelStack, userStack) -> resolver.user(epoch, userStack));
        long now = System.nanoTime();
        join(now - joinDelayNs);
        rotate(now);
      }
      if (++rounds % RESCAN_EVERY_ROUNDS == 0) {
        sampling.rescan();
      }
    }
  }

  private void join(long before) {
    pending.drainBefore(before, (timeNs, epoch, tid, kernelStack, userStack) -> {
      int javaStack = javaSamples.nearest(tid, timeNs, maxJoinGapNs, mayJoinNative(epoch, userStack));
      joined.add(new SampleKey(epoch, tid, kernelStack, userStack, javaStack));
    });
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
    counts[drained].forEach((key, value) -> epochCounts.put(
        new SampleKey(drained, key.get(JAVA_INT, KEY_TID), key.get(JAVA_LONG, KEY_KERNEL_STACK),
            key.get(JAVA_LONG, KEY_USER_STACK), SampleKey.NO_JAVA_STACK),
        value.get(JAVA_LONG, 0)));
    assembler.add(epochCounts, joined);
    counts[drained].clear();
    resolver.forget(drained);
    joined.forget(drained);
    epochsDrained++;
  }

  /** CPUs with a sampling event now, and events closed because their CPU went offline. */
  int[] cpusNowAndOfflined() {
    return new int[] {sampling.attached(), sampling.offlined()};
  }

  /** Epochs whose maps were drained and emptied so far. */
  int epochsDrained() {
    return epochsDrained;
  }

  /** Sampling ends before JFR's last batch, and so that the kernel's counts and events agree. */
  @Override
  public void quiesce() {
    if (sampling != null) {
      sampling.close();
    }
  }

  @Override
  public void contribute(ReportBuilder report) {
    BpfObject object = object();
    if (object == null) {
      return;
    }
    quiesce();
    stopPoller();
    synchronized (round) {
      contributeLocked(object, report);
    }
  }

  private void contributeLocked(BpfObject object, ReportBuilder report) {
    events.consume();
    symbols.refresh();
    join(Long.MAX_VALUE);
    if (draining >= 0) {
      drain(draining);
      draining = -1;
    }
    drain(epoch);
    ProfileAssembler.Result result =
        assembler.result(sampling.event(), options.sampleWeightNs(), context.threads());
    result.perThread().forEach(report::cpu);
    report.profile(new ReportBuilder.ProfileFile("cpu", result.profile(), ProfileKind.CPU,
        new ProfileSpan(startedEpochNanos, System.nanoTime() - startedNanos)));
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
  }

  /** Each resource closed whatever the others did: the JIT map above all, so JVMTI stops. */
  @Override
  protected void stopping() {
    stopPoller();
    synchronized (round) {
      closeQuietly(events);
      closeQuietly(sampling);
      closeQuietly(resolver);
      closeQuietly(symbols);
    }
  }

  /** Stops the poller's loop; a round still running finishes first (see {@link #round}). */
  private void stopPoller() {
    if (poller != null) {
      poller.stop(POLL_MS * 10L);
    }
  }
}
