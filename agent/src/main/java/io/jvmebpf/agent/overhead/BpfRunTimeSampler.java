package io.jvmebpf.agent.overhead;

import io.jvmebpf.agent.AgentThreads;
import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.bpf.BpfStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Times the agent's BPF programs through the kernel's run-time statistics ({@code bpfstats=}).
 * By default it samples them instead of holding them on: timing every program
 * run costs two clock reads each (about 115 ns per traced syscall on the reference VM, a third of
 * the syscall probe's cost), so the statistics are on for {@value #WINDOW_MS} ms of every
 * {@value #PERIOD_MS} ms (the first window at start, the others at random points of their period),
 * and the run time and count read at the end are scaled up by the share of time they were on: an
 * estimate, exact for a steady workload. When another tool holds the statistics on meanwhile, that
 * time counts as on.
 */
public final class BpfRunTimeSampler implements AutoCloseable {
  static final long PERIOD_MS = 1_000;
  static final long WINDOW_MS = 100;
  private static final Path SYSCTL = Path.of("/proc/sys/kernel/bpf_stats_enabled");

  private final long startedNs = System.nanoTime();
  private final BpfStats alwaysOn;
  private final Thread thread;
  private long onNs; // guarded by this
  private long stoppedNs;

  private BpfRunTimeSampler(BpfStats first, boolean sampled, AgentLog log) {
    alwaysOn = sampled ? null : first;
    thread = sampled ? AgentThreads.start("stats", () -> sample(first), log) : null;
  }

  /**
   * Starts timing the agent's BPF programs as {@code mode} says, or returns null (saying why at
   * debug level) when it is off or the kernel refuses.
   */
  public static BpfRunTimeSampler start(AgentOptions.BpfStatsMode mode, AgentLog log) {
    if (mode == AgentOptions.BpfStatsMode.OFF) {
      return null;
    }
    try {
      return new BpfRunTimeSampler(BpfStats.enable(), mode == AgentOptions.BpfStatsMode.SAMPLED, log);
    } catch (RuntimeException e) {
      log.debug("BPF run-time statistics unavailable, bpfRunNs will be null: " + e.getMessage());
      return null;
    }
  }

  private void sample(BpfStats first) {
    BpfStats stats = first;
    long lead = 0; // the first window opens at once, so that even a short run gets a figure
    try {
      while (true) {
        // Every enable is followed by this sleep, whose finally closes it, even when interrupted.
        long on = System.nanoTime();
        try {
          Thread.sleep(WINDOW_MS);
        } finally {
          stats.close();
          add(System.nanoTime() - on);
        }
        // Then each window at a random point of its period: no workload rhythm can line up with it.
        off(PERIOD_MS - WINDOW_MS - lead);
        lead = ThreadLocalRandom.current().nextLong(PERIOD_MS - WINDOW_MS + 1);
        off(lead);
        stats = BpfStats.enable();
      }
    } catch (InterruptedException e) {
      // close(): the window in progress was counted and closed above
    } catch (RuntimeException e) {
      // statistics refused midway: the share measured so far still scales
    }
  }

  private void off(long millis) throws InterruptedException {
    long off = System.nanoTime();
    Thread.sleep(millis);
    if (enabledByOthers()) {
      add(System.nanoTime() - off);
    }
  }

  private synchronized void add(long ns) {
    onNs += ns;
  }

  private static boolean enabledByOthers() {
    try {
      return Files.readString(SYSCTL).strip().equals("1");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Scales a total the kernel counted only while statistics were on to the whole run. */
  public synchronized long scaleToWholeRun(long sampled) {
    if (alwaysOn != null) {
      return sampled;
    }
    long end = stoppedNs != 0 ? stoppedNs : System.nanoTime();
    long elapsed = Math.max(1, end - startedNs);
    long on = Math.min(Math.max(1, onNs), elapsed);
    return Math.round(sampled * ((double) elapsed / on));
  }

  /** Stops sampling; call before reading the programs' statistics, so no window is open. */
  @Override
  public void close() {
    if (alwaysOn != null) {
      alwaysOn.close();
      return;
    }
    thread.interrupt();
    try {
      thread.join(PERIOD_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      stoppedNs = System.nanoTime();
    }
  }
}
