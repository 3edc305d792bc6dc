package io.jvmebpf.agent;

import static io.jvmebpf.agent.Closeables.closeQuietly;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.jfrevents.KernelEvents;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.memory.JavaHeapRecorder;
import io.jvmebpf.agent.memory.MemorySampler;
import io.jvmebpf.agent.otel.SpanLink;
import io.jvmebpf.agent.otel.SpanLinks;
import io.jvmebpf.agent.otel.profiles.OtlpProfilesExport;
import io.jvmebpf.agent.otel.profiles.PeriodicProfilesExport;
import io.jvmebpf.agent.otel.export.OtlpExport;
import io.jvmebpf.agent.overhead.BpfRunTimeSampler;
import io.jvmebpf.agent.overhead.SelfOverhead;
import io.jvmebpf.agent.probe.BpfUsage;
import io.jvmebpf.agent.probe.FeatureStatus;
import io.jvmebpf.agent.vthreads.VirtualThreadTable;
import io.jvmebpf.agent.probe.LiveCounts;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.probe.Probes;
import io.jvmebpf.agent.probe.cpu.CpuProbe;
import io.jvmebpf.agent.spans.SpanHooks;
import io.jvmebpf.agent.probe.memory.MemoryProbe;
import io.jvmebpf.agent.probe.syscalls.SyscallProbe;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import io.jvmebpf.agent.report.AgentInfo;
import io.jvmebpf.agent.report.MemoryTimeline;
import io.jvmebpf.agent.report.Overhead;
import io.jvmebpf.agent.report.ProcessInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.html.ReportPage;
import io.jvmebpf.agent.report.Summary;
import io.jvmebpf.agent.report.SummaryJsonWriter;
import io.jvmebpf.agent.report.DroppedLine;
import io.jvmebpf.agent.report.WriteFailure;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.LibbpfLog;
import io.jvmebpf.bpf.LibbpfVersion;
import io.jvmebpf.bpf.ProcessScope;
import io.jvmebpf.agent.stacks.CodeSymbols;
import io.jvmebpf.agent.stacks.JavaBlockIndex;
import io.jvmebpf.agent.stacks.JavaSocketIndex;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.stacks.ProcessCodeSymbols;
import io.jvmebpf.agent.report.profile.ProfileFiles;
import io.jvmebpf.jfr.JfrEvents;
import java.time.Duration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One run of the agent in this JVM: from probes attached to the report written and everything
 * detached. {@link #stop()} runs once, from the shutdown hook or a test, and never throws.
 */
public final class AgentSession {
  private final AgentOptions options;
  private final AgentLog log;
  private final ThreadRegistry threads;
  private final Probes probes;
  private final JfrEvents jfr; // null when BPF is unavailable: nothing to name or join
  private final JavaHeapRecorder heap; // null with alloc=off or without JFR
  private final KernelEvents kernelEvents; // null with jfr.events=off, or when JFR refused them
  private final CodeSymbols symbols; // shared by the probes, closed after them
  private final BpfRunTimeSampler runTimeSampler; // null when off or refused
  private final ProgressFile progress; // null without progress=
  private final MemorySampler memory; // null when /proc could not be read
  private final PeriodicProfilesExport periodicExport; // null without otlp= or the CPU probe
  private final OtlpExport otlp; // null without an endpoint, or when it could not start
  private final long startupNs;
  private final long startupCpuNs;
  private final long startupRssBytes;
  private final Instant startedAt = Instant.now();
  private boolean stopped;
  private long pausedSinceNs; // 0 when not paused
  private long pausedNs; // pauses that ended

  private AgentSession(
      AgentOptions options, AgentLog log, ThreadRegistry threads, Probes probes,
      JfrEvents jfr, JavaHeapRecorder heap, KernelEvents kernelEvents, CodeSymbols symbols,
      BpfRunTimeSampler runTimeSampler,
      MemorySampler memory, PeriodicProfilesExport periodicExport, long startupNs, long startupCpuNs,
      long startupRssBytes) {
    this.progress = ProgressFile.start(options.progress(), probes::liveCounts, log);
    this.otlp = options.otel().exports() ? OtlpExport.start(options.otel(), probes, threads, log) : null;
    this.options = options;
    this.log = log;
    this.threads = threads;
    this.probes = probes;
    this.jfr = jfr;
    this.heap = heap;
    this.kernelEvents = kernelEvents;
    this.symbols = symbols;
    this.runTimeSampler = runTimeSampler;
    this.memory = memory;
    this.periodicExport = periodicExport;
    this.startupNs = startupNs;
    this.startupCpuNs = startupCpuNs;
    this.startupRssBytes = startupRssBytes;
  }

  /**
   * Starts every wanted probe; when BPF cannot run, starts nothing and reports why.
   *
   * @param unavailable why BPF cannot run in this JVM (checked by the bootstrap), or null
   * @param startedNanos {@link System#nanoTime()} at premain
   * @param rssAtStart resident bytes at premain
   * @param attached loaded into a running JVM rather than before its main
   */
  public static AgentSession start(
      AgentOptions options, AgentLog log, SyscallTable syscalls, String unavailable,
      long startedNanos, long rssAtStart, boolean attached) {
    return start(options, log, syscalls, unavailable, startedNanos, rssAtStart, attached, AgentSession::spanAt);
  }

  /**
   * The span hook's answer, asked at each question: the hook attaches when the spans probe starts,
   * after the probes' context is made, and detaches when it closes. No spans: null.
   */
  private static SpanLink spanAt(int tid, long monotonicNs) {
    return SpanHooks.links().at(tid, monotonicNs);
  }

  /**
   * As above, with the spans threads were in, to which the CPU profile's samples link (the
   * OpenTelemetry span hook's, where spans exist).
   */
  public static AgentSession start(
      AgentOptions options, AgentLog log, SyscallTable syscalls, String unavailable,
      long startedNanos, long rssAtStart, boolean attached, SpanLinks spanLinks) {
    long cpuAtStart = SelfOverhead.currentThreadCpuNs();
    // First, so that the chart shows what the agent's own start added.
    MemorySampler memory = MemorySampler.start(log);
    try {
      return start(options, log, syscalls, unavailable, startedNanos, rssAtStart, attached, spanLinks, cpuAtStart, memory);
    } catch (RuntimeException | Error e) {
      closeQuietly(memory); // no session will: its thread would sample until the JVM ends
      throw e;
    }
  }

  private static AgentSession start(
      AgentOptions options, AgentLog log, SyscallTable syscalls, String unavailable, long startedNanos,
      long rssAtStart, boolean attached, SpanLinks spanLinks, long cpuAtStart, MemorySampler memory) {
    log.debug("core entered " + sincePremain(startedNanos) + " ms after premain");
    if (unavailable == null) {
      unavailable = libbpfProblem(log);
      log.debug("libbpf bound " + sincePremain(startedNanos) + " ms after premain");
    }
    ProcessScope scope = null;
    if (unavailable == null) {
      try {
        scope = ProcessScope.ofThisProcess();
      } catch (RuntimeException e) {
        unavailable = e.getMessage();
      }
    }
    ThreadRegistry threads = new ThreadRegistry();
    JfrEvents jfr = null;
    JavaHeapRecorder heap = null;
    JavaSampleIndex javaSamples = new JavaSampleIndex();
    JavaBlockIndex javaBlocks = new JavaBlockIndex();
    JavaSocketIndex javaSockets = new JavaSocketIndex();
    VirtualThreadTable vthreads = new VirtualThreadTable();
    if (unavailable == null) {
      threads.currentThread();
      heap = options.memory().javaAlloc() ? new JavaHeapRecorder() : null;
      // First, so that JFR's start-up (a few hundred ms, on its own thread) overlaps BPF loading.
      jfr = JfrEvents.start(new JfrEvents.Subscriptions(
          threads::javaThread, executionSamplePeriod(options), nativeSamplePeriod(options), javaSamples,
          // Recorded for virtual threads alone when offcpu is off: no probe joins platform threads' blocks then.
          blockThreshold(options), options.offCpu().on() ? javaBlocks : block -> {}, socketThreshold(options),
          javaSockets, heap,
          options.jfrEvents() ? KernelEvents.NAMES : List.of()));
      // The threads already running, which no JFR event will announce. Attached to a running JVM,
      // before returning: main may end any moment and leave its tid to DestroyJavaVM. At premain,
      // in the background: main is the thread running premain, named just above.
      if (attached) {
        threads.refreshFromJvm(log);
      } else {
        AgentThreads.start("thread-dump", () -> threads.refreshFromJvm(log), log);
      }
    }
    CodeSymbols symbols = ProcessCodeSymbols.open(log, jfr == null ? () -> true : jfr::started);
    Probes probes = Probes.start(
        new ProbeContext(scope, options, log, threads, symbols, javaSamples, javaBlocks, javaSockets, vthreads, spanLinks), syscalls,
        unavailable);
    if (jfr != null) {
      // What no probe that started can join with.
      boolean cpu = probes.features().get("cpu") instanceof FeatureStatus.On;
      boolean offCpu = probes.features().get("offcpu") instanceof FeatureStatus.On;
      if (!cpu) {
        jfr.stopExecutionSamples();
      }
      if (!cpu && !offCpu) {
        jfr.stopNativeSamples();
      }
      boolean followed = cpu && options.cpu().vthreads();
      if (followed) {
        jfr.onVirtualBlocks(vthreads::block);
      }
      if (!offCpu && !followed) {
        jfr.stopBlocks();
      }
      if (!(probes.features().get("net") instanceof FeatureStatus.On)) {
        jfr.stopSockets();
      }
    }
    BpfRunTimeSampler sampler =
        probes.anyRunning() ? BpfRunTimeSampler.start(options.bpfStats(), log) : null;
    // Virtual threads ride on the CPU sampler; the JVM's own refusal comes later, in a line of its own.
    probes.feature("vthreads", !options.cpu().vthreads() ? FeatureStatus.off("turned off by vthreads=off")
        : probes.features().get("cpu") instanceof FeatureStatus.On ? FeatureStatus.on(null)
        : FeatureStatus.off("the CPU sampler does not run"));
    KernelEvents kernelEvents = kernelEvents(options, log, threads, probes, unavailable);
    CpuProbe cpu = probes.running(CpuProbe.class);
    PeriodicProfilesExport periodicExport =
        cpu == null ? null : PeriodicProfilesExport.start(cpu::exportPeriod, options.otel(), version(), log);
    return new AgentSession(
        options, log, threads, probes, jfr, heap, kernelEvents, symbols, sampler, memory, periodicExport,
        System.nanoTime() - startedNanos,
        SelfOverhead.currentThreadCpuNs() - cpuAtStart,
        Math.max(0, SelfOverhead.residentBytes() - rssAtStart));
  }

  /**
   * The JFR event types, registered when a probe runs (and so JFR's stream, which keeps them
   * quiet); said as the feature {@code jfr.events}.
   */
  private static KernelEvents kernelEvents(
      AgentOptions options, AgentLog log, ThreadRegistry threads, Probes probes, String unavailable) {
    String off = !options.jfrEvents() ? "turned off by jfr.events=off"
        : unavailable != null ? unavailable
        : !probes.anyRunning() ? "no probe runs" : null;
    if (off != null) {
      probes.feature("jfr.events", FeatureStatus.off(off));
      return null;
    }
    try {
      KernelEvents events =
          KernelEvents.start(probes.running(SyscallProbe.class), probes.running(MemoryProbe.class), threads, log);
      probes.feature("jfr.events", FeatureStatus.on(null));
      return events;
    } catch (IllegalStateException e) {
      probes.feature("jfr.events", FeatureStatus.off(e.getMessage()));
      log.info("jfr.events off: " + e.getMessage());
      return null;
    }
  }

  /** Where metrics are exported (OTLP/HTTP), or null when they are not. */
  public String exportsTo() {
    return otlp == null ? null : otlp.endpoint();
  }

  public Probes probes() {
    return probes;
  }

  public long startupMs() {
    return startupNs / 1_000_000;
  }

  /**
   * Detaches every probe's programs, which keep their maps and what they counted, until {@link
   * #resume()}. Failures are thrown with the probe's name; the others are paused whatever one did.
   */
  public synchronized void pause() {
    if (!stopped && pausedSinceNs == 0) {
      pausedSinceNs = System.nanoTime();
      probes.pause();
    }
  }

  /**
   * Attaches again what {@link #pause()} detached; when a probe cannot, the session stays paused
   * (every probe detached again) and the failure is thrown.
   */
  public synchronized void resume() {
    if (!stopped && pausedSinceNs != 0) {
      probes.resume();
      pausedNs += System.nanoTime() - pausedSinceNs;
      pausedSinceNs = 0;
    }
  }

  /** What {@code status} says of a running session. */
  public record Status(Instant startedAt, boolean paused, long pausedNs, LiveCounts counts, Path out) {}

  public synchronized Status status() {
    return new Status(startedAt, pausedSinceNs != 0, pausedNsSoFar(), probes.liveCounts(), options.out().toAbsolutePath());
  }

  /** The pauses that ended, and the one under way until now. */
  private long pausedNsSoFar() {
    return pausedNs + (pausedSinceNs == 0 ? 0 : System.nanoTime() - pausedSinceNs);
  }

  /** See {@link #stop(Path)}: the report in the folder of the {@code out=} option. */
  public Path stop() {
    return stop(options.out());
  }

  /**
   * Collects, writes {@code summary.json} and {@code report.html} into {@code out}, detaches
   * everything. Idempotent; never throws.
   *
   * @return the {@code summary.json} written, or null when it could not be (said in one line)
   */
  public synchronized Path stop(Path out) {
    if (stopped) {
      return null;
    }
    stopped = true;
    // Each closed once: in order below for the report, or in the finally if the report failed first.
    JfrEvents jfrOpen = jfr;
    BpfRunTimeSampler samplerOpen = runTimeSampler;
    try {
      // First, while the agent's threads are all still alive to be counted.
      long cpuNs = startupCpuNs + SelfOverhead.agentThreadsCpuNs();
      // Before the report takes the CPU profile's last part: an export under way finishes first.
      closeQuietly(periodicExport);
      probes.quiesce();
      if (jfr != null) {
        jfrOpen = null;
        jfr.close();
        if (jfr.failure() != null) {
          log.info("names of Java threads that ended before the report, and Java frames of CPU"
              + " samples, may be missing: JFR did not start (" + jfr.failure() + ")");
        }
        threads.refreshFromJvm(log);
      }
      ReportBuilder report = new ReportBuilder();
      probes.contribute(report);
      if (heap != null) {
        heap.contribute(report, threads);
      }
      if (runTimeSampler != null) {
        samplerOpen = null;
        runTimeSampler.close();
      }
      BpfUsage usage = probes.usage();
      Overhead overhead =
          new Overhead(
              cpuNs,
              startupRssBytes,
              wholeRun(usage.runTimeNs()),
              wholeRun(usage.runCount()),
              usage.mapBytes(),
              startupMs());
      MemoryTimeline timeline = memory == null ? null : memory.finish();
      Summary summary =
          new Summary(
              processInfo(timeline),
              new AgentInfo(version(), pausedNsSoFar(), probes.featureLines(), overhead, report.dropped()),
              report.cpuInfo(),
              report.offCpuInfo(),
              report.threads(threads),
              report.processes(),
              report.files(),
              report.networkInfo(),
              report.connections(),
              report.memoryInfo(),
              report.javaHeap(),
              report.spans(),
              report.virtualThreads());
      Path written = new SummaryJsonWriter().write(summary, out);
      Map<String, String> failures = new LinkedHashMap<>(); // what was not written -> why
      for (ReportBuilder.ProfileFile profile : report.profiles()) {
        writeProfile(profile, out, failures);
      }
      writePage(written, report.profiles(), out, failures);
      // One line, whatever failed: a full disk fails every file after summary.json alike.
      log.info("report written to " + written.toAbsolutePath() + (failures.isEmpty() ? "" : " without "
          + String.join(", ", failures.entrySet().stream().map(f -> f.getKey() + " (" + f.getValue() + ")").toList())
          + ": " + WriteFailure.fix(failures.values().iterator().next())));
      DroppedLine.of(report.dropped()).ifPresent(log::info);
      // After the files, which are on disk whatever the collector does; bounded in time.
      OtlpProfilesExport.export(report.profilesToExport(), options.otel(), version(), log);
      return written;
    } catch (IOException e) {
      String cause = WriteFailure.cause(e);
      log.info("could not write the report to " + out.toAbsolutePath() + ": " + cause + "; " + WriteFailure.fix(cause));
      return null;
    } catch (RuntimeException | LinkageError e) {
      log.info("could not write the report to " + out.toAbsolutePath() + ": " + e);
      return null;
    } finally {
      release(jfrOpen, samplerOpen);
    }
  }

  /**
   * Ends a session that started no probe without a report: one that a later start replaces (see
   * {@code AgentCore}). Idempotent; never throws.
   */
  public synchronized void discard() {
    if (!stopped) {
      stopped = true;
      release(jfr, runTimeSampler);
    }
  }

  /** Closes what is still open, each whatever the others did: no thread of the session survives. */
  private void release(JfrEvents jfrOpen, BpfRunTimeSampler samplerOpen) {
    try {
      closeQuietly(otlp); // first, with a last export: it reads the probes' maps
      closeQuietly(progress); // it reads the probes' maps
      closeQuietly(periodicExport); // reads the CPU probe
      // Its periodic hook reads the probes; after the report, so that the intervals the report
      // joined last still became events, and with a last round for a recording that runs on.
      closeQuietly(kernelEvents);
      closeQuietly(memory);
      closeQuietly(jfrOpen);
      closeQuietly(samplerOpen);
      probes.close();
    } finally {
      symbols.close(); // the JIT map's JVMTI environment: after every probe that names stacks
    }
  }

  /** One profile's files; a failure loses those files only, added to {@code failures}. */
  private static void writeProfile(ReportBuilder.ProfileFile profile, Path out, Map<String, String> failures) {
    try {
      ProfileFiles.write(profile.profile(), profile.kind(), profile.span(), out, profile.baseName());
    } catch (IOException | RuntimeException e) {
      failures.put(profile.baseName() + " profile files", WriteFailure.cause(e));
    }
  }

  /** {@code report.html}; a failure loses the page only, added to {@code failures}. */
  private static void writePage(
      Path summaryJson, List<ReportBuilder.ProfileFile> profiles, Path out, Map<String, String> failures) {
    try {
      ReportPage.write(summaryJson, profiles, out);
    } catch (IOException | RuntimeException e) {
      failures.put(ReportPage.FILE, WriteFailure.cause(e));
    }
  }

  /**
   * How often the JVM samples Java stacks for the CPU profile's join: as often as the kernel
   * samples, but no more than JFR's profiling setting (10 ms) to bound its cost; never without cpu.
   */
  private static Duration executionSamplePeriod(AgentOptions options) {
    return options.cpu().on()
        ? Duration.ofNanos(Math.max(options.cpu().sampleWeightNs(), 10_000_000L))
        : null;
  }

  /**
   * The JVM's blocking events for the off-CPU join, down to {@code offcpu.min} but not below 1 ms:
   * JFR instruments every park and monitor wait, and records one with a stack per block past it.
   */
  private static Duration blockThreshold(AgentOptions options) {
    return options.offCpu().on() ? Duration.ofNanos(Math.max(options.offCpu().minNs(), 1_000_000L))
        : followsVirtualThreads(options) ? Duration.ofMillis(1) : null;
  }

  /** Virtual threads' blocks come from JFR only: the kernel never sees a virtual thread block. */
  private static boolean followsVirtualThreads(AgentOptions options) {
    return options.cpu().on() && options.cpu().vthreads();
  }

  /** The JVM's socket events for naming the Java code that used each connection: net.jfr=. */
  private static Duration socketThreshold(AgentOptions options) {
    return options.net().on() && options.net().jfrThresholdNs() >= 0
        ? Duration.ofNanos(options.net().jfrThresholdNs()) : null;
  }

  /**
   * Threads in native code: for the CPU profile as often as running ones; for the off-CPU join
   * alone (a thread blocked in a native method, which the JVM records no block of) JFR's default, 20 ms.
   */
  private static Duration nativeSamplePeriod(AgentOptions options) {
    Duration execution = executionSamplePeriod(options);
    return execution != null ? execution : options.offCpu().on() ? Duration.ofMillis(20) : null;
  }

  /** A total the kernel's statistics counted, for the whole run; null when not measured. */
  private Long wholeRun(long counted) {
    return runTimeSampler == null || counted < 0 ? null : runTimeSampler.scaleToWholeRun(counted);
  }

  private static long sincePremain(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private static String libbpfProblem(AgentLog log) {
    try {
      LibbpfVersion version = LibbpfVersion.current();
      LibbpfLog.setSink((level, message) -> log.debug("libbpf " + level + ": " + message));
      log.debug("libbpf " + version);
      return version.major() >= 1 ? null : "libbpf " + version + " is too old: jvm-ebpf needs 1.0+";
    } catch (RuntimeException | LinkageError e) {
      return e.getMessage();
    }
  }

  private static ProcessInfo processInfo(MemoryTimeline memory) {
    Instant now = Instant.now();
    Instant started = ProcessHandle.current().info().startInstant().orElse(now);
    String kernel;
    try {
      kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (IOException e) {
      kernel = System.getProperty("os.version");
    }
    return new ProcessInfo(
        ProcessHandle.current().pid(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        kernel,
        started,
        now.toEpochMilli() - started.toEpochMilli(),
        memory);
  }

  static String version() {
    try (InputStream in = AgentSession.class.getResourceAsStream("/io/jvmebpf/agent/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
