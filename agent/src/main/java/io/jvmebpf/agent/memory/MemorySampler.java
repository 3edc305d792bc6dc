package io.jvmebpf.agent.memory;

import io.jvmebpf.agent.AgentThreads;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.report.MemoryTimeline;
import java.io.IOException;
import java.time.Instant;

/**
 * Samples the process's resident memory and the Java heap every second on its own thread,
 * {@code jvm-ebpf-rss}, from the session's start to its report: {@code process.memory}. Bounded
 * ({@link MemorySeries}) and allocation-free per sample. The heap comes from {@link Runtime}, not
 * the management beans, which the agent never loads (see {@code SelfOverhead}).
 */
public final class MemorySampler implements AutoCloseable {
  static final long PERIOD_MS = 1000;

  private final MemorySeries series = new MemorySeries(PERIOD_MS);
  private final ResidentBytes rss;
  private final AgentLog log;
  private final Instant startedAt = Instant.now();
  private final long startedNs = System.nanoTime();
  private final Thread thread;

  private MemorySampler(ResidentBytes rss, AgentLog log) {
    this.rss = rss;
    this.log = log;
    thread = AgentThreads.start("rss", this::run, log);
  }

  /** Starts sampling, or returns null (said at debug level) when {@code /proc} cannot be read. */
  public static MemorySampler start(AgentLog log) {
    try {
      return new MemorySampler(new ResidentBytes(), log);
    } catch (IOException | RuntimeException e) {
      log.debug("memory over time not sampled: " + e);
      return null;
    }
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        sample();
        long wait = series.nextDueMs() - elapsedMs();
        if (wait > 0) {
          Thread.sleep(wait);
        }
      }
    } catch (InterruptedException e) {
      // stopped
    } catch (IOException | RuntimeException e) {
      log.debug("memory over time no longer sampled: " + e);
    }
  }

  private void sample() throws IOException {
    Runtime runtime = Runtime.getRuntime();
    long committed = runtime.totalMemory();
    series.add(elapsedMs(), rss.read(), committed - runtime.freeMemory(), committed);
  }

  private long elapsedMs() {
    return (System.nanoTime() - startedNs) / 1_000_000;
  }

  /** Stops the thread, takes the last sample (the report's moment) and returns them all. */
  public MemoryTimeline finish() {
    stop();
    try {
      sample();
    } catch (IOException | RuntimeException e) {
      // the samples taken so far are the timeline
    }
    return series.timeline(startedAt);
  }

  private void stop() {
    thread.interrupt();
    try {
      thread.join(PERIOD_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    stop();
    rss.close();
  }
}
