package io.jvmebpf.agent;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.overhead.BpfRunTimeSampler;
import io.jvmebpf.agent.overhead.SelfOverhead;
import io.jvmebpf.agent.probe.BpfUsage;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.probe.Probes;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import io.jvmebpf.agent.report.AgentInfo;
import io.jvmebpf.agent.report.Overhead;
import io.jvmebpf.agent.report.ProcessInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.Summary;
import io.jvmebpf.agent.report.SummaryJsonWriter;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.LibbpfLog;
import io.jvmebpf.bpf.LibbpfVersion;
import io.jvmebpf.jfr.JavaThreadEvents;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One run of the agent in this JVM: from probes attached to the report written and everything
 * detached. {@link #stop()} runs once, from the shutdown hook or a test, and never throws.
 */
public final class AgentSession {
  private final AgentOptions options;
  private final AgentLog log;
  private final ThreadRegistry threads;
  private final Probes probes;
  private final JavaThreadEvents javaThreads;
  private final BpfRunTimeSampler runTimeSampler;
  private final long startupNs;
  private final long startupCpuNs;
  private final long startupRssBytes;
  private boolean stopped;

  private AgentSession(
      AgentOptions options, AgentLog log, ThreadRegistry threads, Probes probes,
      JavaThreadEvents javaThreads, BpfRunTimeSampler runTimeSampler, long startupNs, long startupCpuNs,
      long startupRssBytes) {
    this.options = options;
    this.log = log;
    this.threads = threads;
    this.probes = probes;
    this.javaThreads = javaThreads;
    this.runTimeSampler = runTimeSampler;
    this.startupNs = startupNs;
    this.startupCpuNs = startupCpuNs;
    this.startupRssBytes = startupRssBytes;
  }

  /**
   * Starts every wanted probe.
   *
   * @param unavailable why BPF cannot run in this JVM (checked by the bootstrap), or null
   * @param startedNanos {@link System#nanoTime()} at premain
   * @param rssAtStart resident bytes at premain
   */
  public static AgentSession start(
      AgentOptions options, AgentLog log, SyscallTable syscalls, String unavailable,
      long startedNanos, long rssAtStart) {
    long cpuAtStart = SelfOverhead.currentThreadCpuNs();
    log.debug("core entered " + (System.nanoTime() - startedNanos) / 1_000_000 + " ms after premain");
    if (unavailable == null) {
      unavailable = libbpfProblem(log);
      log.debug("libbpf bound " + (System.nanoTime() - startedNanos) / 1_000_000 + " ms after premain");
    }
    ThreadRegistry threads = new ThreadRegistry();
    if (unavailable == null) {
      threads.currentThread();
    }
    // First, so that JFR's start-up (a few hundred ms, on its own thread) overlaps BPF loading.
    JavaThreadEvents javaThreads = JavaThreadEvents.start(threads::javaThread);
    // The threads already running, "main" among them, which no JFR event will announce.
    Thread.ofPlatform().daemon().name("jvm-ebpf-thread-dump").start(() -> threads.refreshFromJvm(log));
    BpfRunTimeSampler stats = unavailable == null ? BpfRunTimeSampler.start(options.bpfStats(), log) : null;
    int tgid = (int) ProcessHandle.current().pid();
    Probes probes = Probes.start(new ProbeContext(tgid, options, log, threads), syscalls, unavailable);
    long startupNs = System.nanoTime() - startedNanos;
    return new AgentSession(
        options, log, threads, probes, javaThreads, stats, startupNs,
        SelfOverhead.currentThreadCpuNs() - cpuAtStart,
        Math.max(0, SelfOverhead.residentBytes() - rssAtStart));
  }

  public Probes probes() {
    return probes;
  }

  public long startupMs() {
    return startupNs / 1_000_000;
  }

  /** Collects, writes {@code summary.json}, detaches everything. Idempotent; never throws. */
  public synchronized Path stop() {
    if (stopped) {
      return null;
    }
    stopped = true;
    try {
      javaThreads.close();
      if (javaThreads.failure() != null) {
        log.info("names of Java threads that ended before the report may be missing: JFR did not"
            + " start (" + javaThreads.failure() + ")");
      }
      threads.refreshFromJvm(log);
      ReportBuilder report = new ReportBuilder();
      probes.contribute(report);
      if (runTimeSampler != null) {
        runTimeSampler.close();
      }
      BpfUsage usage = probes.usage();
      long cpuNs = startupCpuNs + SelfOverhead.agentThreadsCpuNs();
      Summary summary =
          new Summary(
              processInfo(),
              new AgentInfo(
                  version(),
                  probes.featureLines(),
                  new Overhead(
                      cpuNs,
                      startupRssBytes,
                      runTimeSampler == null || usage.runTimeNs() < 0 ? null : runTimeSampler.scaleToWholeRun(usage.runTimeNs()),
                      runTimeSampler == null || usage.runCount() < 0 ? null : runTimeSampler.scaleToWholeRun(usage.runCount()),
                      usage.mapBytes(),
                      startupMs()),
                  report.dropped()),
              report.threads(threads));
      Path written = new SummaryJsonWriter().write(summary, options.out());
      log.info("report written to " + written.toAbsolutePath());
      return written;
    } catch (IOException | RuntimeException e) {
      log.info("could not write the report to " + options.out().toAbsolutePath() + ": " + e);
      return null;
    } finally {
      probes.close();
      if (runTimeSampler != null) {
        runTimeSampler.close();
      }
    }
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

  private static ProcessInfo processInfo() {
    long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
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
        Instant.ofEpochMilli(startMillis),
        System.currentTimeMillis() - startMillis);
  }

  static String version() {
    try (var in = AgentSession.class.getResourceAsStream("/io/jvmebpf/agent/version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
