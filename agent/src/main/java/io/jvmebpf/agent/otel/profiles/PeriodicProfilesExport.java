package io.jvmebpf.agent.otel.profiles;

import io.jvmebpf.agent.AgentThreads;
import io.jvmebpf.agent.config.OtelOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.report.ReportBuilder.ProfileFile;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every {@code otlp.interval}, exports what {@code periods} has gathered since the last time (the
 * CPU probe's drained epochs), on its own agent thread ({@code jvm-ebpf-otlp-profiles}); the
 * report exports the rest. Closing lets an export under way finish (its samples are no longer in
 * the probe's period, so cutting it off would lose them), waiting at most the export's timeout.
 */
public final class PeriodicProfilesExport implements AutoCloseable {
  private final Object lock = new Object();
  private final Thread thread;
  private boolean closing; // guarded by lock

  private PeriodicProfilesExport(Supplier<List<ProfileFile>> periods, OtelOptions otel, String version, AgentLog log) {
    this.thread = AgentThreads.unstarted("otlp-profiles", () -> run(periods, otel, version, log), log);
  }

  /** Starts exporting every {@code otel.interval()}; null without an endpoint. */
  public static PeriodicProfilesExport start(
      Supplier<List<ProfileFile>> periods, OtelOptions otel, String version, AgentLog log) {
    if (!otel.exports()) {
      return null;
    }
    PeriodicProfilesExport export = new PeriodicProfilesExport(periods, otel, version, log);
    export.thread.start();
    return export;
  }

  private void run(Supplier<List<ProfileFile>> periods, OtelOptions otel, String version, AgentLog log) {
    long intervalMs = Math.max(1, otel.interval().toMillis());
    while (waitInterval(intervalMs)) {
      List<ProfileFile> due = periods.get().stream().filter(p -> !p.profile().samples().isEmpty()).toList();
      if (!due.isEmpty()) {
        OtlpProfilesExport.exportNow(due, otel, version, log);
      }
    }
  }

  /** False once closing: waits the interval out, or until {@link #close()}. */
  private boolean waitInterval(long intervalMs) {
    long deadline = System.nanoTime() + intervalMs * 1_000_000L;
    synchronized (lock) {
      long left;
      while (!closing && (left = deadline - System.nanoTime()) > 0) {
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          return false;
        }
      }
      return !closing;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      thread.join(OtlpProfilesExport.TIMEOUT.plusSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
