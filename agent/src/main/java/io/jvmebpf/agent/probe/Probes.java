package io.jvmebpf.agent.probe;

import io.jvmebpf.agent.Closeables;
import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.probe.cpu.CpuProbe;
import io.jvmebpf.agent.probe.files.FilesProbe;
import io.jvmebpf.agent.probe.memory.MemoryProbe;
import io.jvmebpf.agent.probe.net.NetworkProbe;
import io.jvmebpf.agent.probe.offcpu.OffCpuProbe;
import io.jvmebpf.agent.probe.processes.ProcessesProbe;
import io.jvmebpf.agent.probe.syscalls.SyscallProbe;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.spans.SpanHooks;
import io.jvmebpf.agent.spans.SpanProbe;
import io.jvmebpf.agent.threads.ThreadExitsProbe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one place that decides which probes run: a table of every feature, started in order, each
 * either on or off with the sentence that says why. A probe that fails to start is off; the others
 * run on.
 */
public final class Probes implements AutoCloseable {
  private record Feature(
      String name, Predicate<AgentOptions> wanted, String offByOption, Function<ProbeContext, Probe> create) {}

  private final Map<String, FeatureStatus> features = new LinkedHashMap<>();
  private final List<Probe> running = new ArrayList<>();

  private final AgentLog log;

  private Probes(AgentLog log) {
    this.log = log;
  }

  private static List<Feature> table(SyscallTable syscalls) {
    List<Feature> table = new ArrayList<>(List.of(
        new Feature("threads", options -> true, "", context -> new ThreadExitsProbe(context.threads())),
        new Feature(
            "syscalls",
            AgentOptions::syscalls,
            "syscalls=off",
            context -> new SyscallProbe(
                syscalls, context.options().syscallFilter(), context.options().syscallPairs())),
        new Feature(
            "cpu",
            options -> options.cpu().on(),
            "cpu=off",
            context -> new CpuProbe(context.options().cpu(), context.javaSamples())),
        new Feature(
            "offcpu",
            options -> options.offCpu().on(),
            "offcpu=off",
            context -> new OffCpuProbe(context.options().offCpu(), syscalls)),
        new Feature("processes", AgentOptions::processes, "processes=off", context -> new ProcessesProbe()),
        new Feature(
            "files",
            options -> options.files().on(),
            "files=off",
            context -> new FilesProbe(syscalls, context.options().files())),
        new Feature("net", options -> options.net().on(), "net=off", context -> new NetworkProbe(context.options().net())),
        new Feature(
            "memory",
            options -> options.memory().on(),
            "nativemem=off and faults=off",
            context -> new MemoryProbe(context.options().memory()))));
    // Only where spans exist: loaded as the OpenTelemetry Java agent's extension.
    if (SpanHooks.connected()) {
      table.add(new Feature("spans", options -> options.otel().spans(), "spans=off", context -> new SpanProbe()));
    }
    return table;
  }

  /**
   * @param unavailable why BPF cannot be used at all in this JVM, or null when it can
   */
  public static Probes start(ProbeContext context, SyscallTable syscalls, String unavailable) {
    Probes probes = new Probes(context.log());
    for (Feature feature : table(syscalls)) {
      if (!feature.wanted().test(context.options())) {
        probes.features.put(feature.name(), FeatureStatus.off("turned off by " + feature.offByOption()));
      } else if (unavailable != null) {
        probes.features.put(feature.name(), FeatureStatus.off(unavailable));
      } else {
        probes.startOne(feature, context);
      }
    }
    return probes;
  }

  private void startOne(Feature feature, ProbeContext context) {
    long started = System.nanoTime();
    Probe probe = feature.create().apply(context);
    try {
      probe.start(context);
      running.add(probe);
      features.put(feature.name(), FeatureStatus.on(probe.note()));
      context.log().debug(feature.name() + " on in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    } catch (RuntimeException | LinkageError e) {
      probe.close();
      String reason = (e.getMessage() != null ? e.getMessage() : e.toString())
          // The fix when the cause cannot be remedied: the others run, and this one can be left out.
          + (feature.offByOption().isEmpty() ? "" : " (the other features run; " + feature.offByOption() + " skips it)");
      features.put(feature.name(), FeatureStatus.off(reason));
      // The start line says it: a line here too would name the one cause twice.
      context.log().debug(feature.name() + " off: " + reason);
    }
  }

  /**
   * A feature that is not a probe but depends on them (the JFR events), said beside them: in the
   * start line, {@code status} and {@code summary.json}.
   */
  public void feature(String name, FeatureStatus status) {
    features.put(name, status);
  }

  /** Every feature's status, in table order. */
  public Map<String, FeatureStatus> features() {
    return Collections.unmodifiableMap(features);
  }

  /** The features in table order, as {@code summary.json} lists them. */
  public Map<String, String> featureLines() {
    Map<String, String> lines = new LinkedHashMap<>();
    features.forEach((name, status) -> lines.put(name, status.toString()));
    return lines;
  }

  /** The running probe of {@code type}, or null when it is off. */
  public <T extends Probe> T running(Class<T> type) {
    for (Probe probe : running) {
      if (type.isInstance(probe)) {
        return type.cast(probe);
      }
    }
    return null;
  }

  public boolean anyRunning() {
    return !running.isEmpty();
  }

  /** See {@link Probe#quiesce()}; a probe that fails to is left to {@link #close()}. */
  public void quiesce() {
    for (Probe probe : running) {
      try {
        probe.quiesce();
      } catch (RuntimeException | LinkageError e) {
        // its report may cover a little more time than the JVM's events; nothing worse
      }
    }
  }

  /** See {@link Probe#pause()}: every probe, each whatever the others did; the first failure is thrown. */
  public void pause() {
    eachRunning(Probe::pause);
  }

  /**
   * See {@link Probe#resume()}: all or none. When one probe cannot attach again (it stays paused
   * itself), those resumed before it are paused again and the failure is thrown, so that a
   * session is either running or paused, never partly either.
   */
  public void resume() {
    List<Probe> resumed = new ArrayList<>();
    for (Probe probe : running) {
      try {
        probe.resume();
        resumed.add(probe);
      } catch (RuntimeException e) {
        for (Probe again : resumed) {
          try {
            again.pause();
          } catch (RuntimeException ignored) {
            // the first failure is the one said; this probe's own pause failing leaves it taking data
          }
        }
        throw new IllegalStateException(probe.name() + ": " + e.getMessage(), e);
      }
    }
  }

  private void eachRunning(Consumer<Probe> action) {
    RuntimeException first = null;
    for (Probe probe : running) {
      try {
        action.accept(probe);
      } catch (RuntimeException e) {
        first = first == null ? new IllegalStateException(probe.name() + ": " + e.getMessage(), e) : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  public LiveCounts liveCounts() {
    LiveCounts total = LiveCounts.NONE;
    for (Probe probe : running) {
      total = total.plus(probe.liveCounts());
    }
    return total;
  }

  /** Each probe's figures; one that fails says so in its feature line, the others report on. */
  public void contribute(ReportBuilder report) {
    for (Probe probe : running) {
      long started = System.nanoTime();
      try {
        probe.contribute(report);
        log.debug(probe.name() + " reported in " + (System.nanoTime() - started) / 1_000_000 + " ms");
      } catch (RuntimeException | LinkageError e) {
        features.put(probe.name(), FeatureStatus.off("its report failed: " + e));
      }
    }
  }

  public BpfUsage usage() {
    BpfUsage total = BpfUsage.NONE;
    for (Probe probe : running) {
      total = total.plus(probe.usage());
    }
    return total;
  }

  /** Closes every probe, each whatever the others did. */
  @Override
  public void close() {
    running.forEach(Closeables::closeQuietly);
    running.clear();
  }
}
