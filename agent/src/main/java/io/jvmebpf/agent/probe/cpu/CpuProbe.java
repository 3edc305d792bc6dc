package io.jvmebpf.agent.probe.cpu;

import static io.jvmebpf.agent.probe.cpu.ProfileLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.jvmebpf.agent.AgentThreads;
import io.jvmebpf.agent.config.CpuOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.probe.BpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.report.CpuInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import java.time.Instant;
import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.RingBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Samples the JVM's threads on CPU with {@code profile.bpf.c} on one perf event per CPU. The
 * kernel counts samples per (thread, kernel stack, user stack); a poller names each new user stack
 * soon after it appears and joins every sample event with the JVM's own Java stack sample of that
 * thread nearest in time (JFR), which names the frames the kernel's walk cannot.
 */
public final class CpuProbe extends BpfProbe {
  private static final int POLL_MS = 100;
  private static final int RESCAN_EVERY_POLLS = 10;
  /** How long events wait for JFR, which hands its samples over about once a second. */
  private static final long JOIN_DELAY_NS = 2_000_000_000L;
  private static final int PENDING_EVENTS = 65_536;
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
  private PerfSampling sampling;
  private CodeSymbols symbols;
  private StackResolver resolver;
  private RingBuffer events;
  private ProbeContext context;
  private boolean preserveFramePointer;
  private long startedNanos;
  private long startedEpochNanos;
  private Thread poller;
  private volatile boolean polling;

  public CpuProbe(CpuOptions options, JavaSampleIndex javaSamples) {
    super("profile");
    this.options = options;
    this.javaSamples = javaSamples;
    this.maxJoinGapNs = Math.max(20 * options.sampleWeightNs(), MIN_JOIN_GAP_NS);
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
    object.map("stacks").setMaxEntries(options.stacks());
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("stacks"), 4, STACK_BYTES);
    requireSize(object.map("sample_counts"), KEY_BYTES, 8);
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
    preserveFramePointer = preserveFramePointer();
    symbols = ProcessCodeSymbols.open(context.log());
    resolver = new StackResolver(object.map("stacks"), symbols);
    events = RingBuffer.open(object.map("sample_events"), this::onEvent);
    polling = true;
    poller = AgentThreads.start("cpu", this::poll, context.log());
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
        event.get(JAVA_INT, EVENT_KEY + KEY_TID),
        event.get(JAVA_INT, EVENT_KEY + KEY_KERNEL_STACK),
        event.get(JAVA_INT, EVENT_KEY + KEY_USER_STACK));
  }

  private void poll() {
    int polls = 0;
    while (polling) {
      events.poll(POLL_MS);
      symbols.refresh();
      join(System.nanoTime() - JOIN_DELAY_NS);
      if (++polls % RESCAN_EVERY_POLLS == 0) {
        sampling.rescan();
      }
    }
  }

  private void join(long before) {
    pending.drainBefore(before, (timeNs, tid, kernelStack, userStack) -> {
      // Named now, while its JIT code is still what was sampled.
      boolean inNative = resolver.user(userStack).leafNative() > 0;
      int javaStack = javaSamples.nearest(tid, timeNs, maxJoinGapNs, inNative);
      joined.add(new SampleKey(tid, kernelStack, userStack, javaStack));
    });
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
    events.consume();
    symbols.refresh();
    join(Long.MAX_VALUE);
    Map<SampleKey, Long> counts = new HashMap<>();
    object.map("sample_counts").forEach((key, value) -> counts.put(
        new SampleKey(key.get(JAVA_INT, KEY_TID), key.get(JAVA_INT, KEY_KERNEL_STACK),
            key.get(JAVA_INT, KEY_USER_STACK), SampleKey.NO_JAVA_STACK),
        value.get(JAVA_LONG, 0)));
    ProfileAssembler.Result result = new ProfileAssembler(resolver, javaSamples, context.threads())
        .assemble(sampling.event(), options.sampleWeightNs(), counts, joined);
    result.perThread().forEach(report::cpu);
    report.profile(new ReportBuilder.ProfileFile("cpu", result.profile(), ProfileKind.CPU,
        new ProfileSpan(startedEpochNanos, System.nanoTime() - startedNanos)));
    BpfMap counters = object.map("counters");
    long samples = Math.max(1, result.samples());
    report.cpuInfo(new CpuInfo(sampling.event(), options.sampleWeightNs(), sampling.cpusSampled(),
        counters.counter(SAMPLES), (double) result.javaSamples() / samples,
        (double) result.joinedSamples() / samples, preserveFramePointer));
    report.dropped("cpu.kernelStacksLost", counters.counter(KERNEL_COLLISIONS));
    report.dropped("cpu.userStacksLost", counters.counter(USER_COLLISIONS));
    report.dropped("cpu.samplesUncounted", counters.counter(KEYS_FULL));
    report.dropped("cpu.sampleEventsLost", counters.counter(EVENTS_LOST) + pending.dropped());
    report.dropped("cpu.cpusNotSampled", sampling.openFailures());
    report.dropped("cpu.cpusWentOffline", sampling.offlined());
    report.dropped("cpu.jvmSamplesDropped", javaSamples.dropped() + joined.overflow());
  }

  @Override
  protected void stopping() {
    stopPoller();
    if (events != null) {
      events.close();
    }
    if (sampling != null) {
      sampling.close();
    }
    if (resolver != null) {
      resolver.close();
    }
    if (symbols != null) {
      symbols.close();
    }
  }

  private void stopPoller() {
    polling = false;
    if (poller != null) {
      try {
        poller.join(POLL_MS * 10L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static boolean preserveFramePointer() {
    try {
      return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("PreserveFramePointer").getValue());
    } catch (RuntimeException e) {
      return false; // not HotSpot: say what is true of most JVMs
    }
  }
}
