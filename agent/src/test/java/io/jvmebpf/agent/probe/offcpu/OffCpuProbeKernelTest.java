package io.jvmebpf.agent.probe.offcpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.OffCpuOptions;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.ThreadSummary;
import io.jvmebpf.agent.report.TimeSummary;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler tracer in the real kernel, on this JVM's own threads, against what the JVM itself
 * measures: a burning thread's on-CPU time is its CPU time, a sleeping thread's off-CPU time its
 * sleeps, and every thread's parts add up to its wall time.
 */
@ExtendWith(RequiresBpf.class)
class OffCpuProbeKernelTest {
  private static volatile long sink;

  @Test
  void onCpuIsTheThreadsCpuTimeAndOffCpuItsSleeps() throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    OffCpuProbe probe = new OffCpuProbe(OffCpuOptions.defaults(), SyscallTable.forThisMachine());
    ReportBuilder report = new ReportBuilder();
    long[] burnerCpuNs = new long[1];
    int[] tids = new int[2];
    long[] sleeperWallNs = new long[1];
    try (ThisJvm jvm = ThisJvm.context(registry); probe) {
      probe.start(jvm.context());
      Thread burner = new Thread(() -> {
        tids[0] = currentTid();
        long until = System.nanoTime() + 400_000_000L;
        while (System.nanoTime() < until) {
          burn();
        }
        burnerCpuNs[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      }, "burner");
      Thread sleeper = new Thread(() -> {
        tids[1] = currentTid();
        long started = System.nanoTime();
        try {
          for (int i = 0; i < 5; i++) {
            Thread.sleep(40);
          }
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        sleeperWallNs[0] = System.nanoTime() - started;
      }, "sleeper");
      burner.start();
      sleeper.start();
      burner.join();
      sleeper.join();
      probe.contribute(report);
    }
    TimeSummary burner = time(report, registry, tids[0]);
    TimeSummary sleeper = time(report, registry, tids[1]);
    System.out.printf("burner on-CPU %.1f ms, its CPU time %.1f ms; sleeper off-CPU %.1f ms of %.1f ms wall%n",
        burner.onCpuNs() / 1e6, burnerCpuNs[0] / 1e6, sleeper.offCpuNs() / 1e6, sleeperWallNs[0] / 1e6);
    // On CPU is the time between the scheduler's switches, which a VM's steal time is part of and
    // the thread's CPU time (steal left out) is not: on a busy host the first is the longer, by
    // 10% in one CI run (354 against 318 ms), so more room above than below.
    assertTrue(burner.onCpuNs() >= burnerCpuNs[0] * 0.95 && burner.onCpuNs() <= burnerCpuNs[0] * 1.25,
        "burner on CPU " + burner.onCpuNs() + " ns, but its CPU time was " + burnerCpuNs[0] + " ns");
    assertTrue(sleeper.offCpuNs() >= 200_000_000L && sleeper.offCpuNs() <= sleeperWallNs[0] + 5_000_000L,
        "sleeper off CPU " + sleeper.offCpuNs() + " ns for 5 sleeps of 40 ms in " + sleeperWallNs[0] + " ns");
    assertTrue(sleeper.offCpuByReason().getOrDefault("futex", 0L) >= 200_000_000L,
        "the JVM sleeps in futex: " + sleeper.offCpuByReason());
    for (TimeSummary time : List.of(burner, sleeper)) {
      assertEquals(time.wallNs(), time.onCpuNs() + time.runQueueNs() + time.offCpuNs(), time.toString());
      assertEquals(time.offCpuNs(), time.offCpuByReason().values().stream().mapToLong(Long::longValue).sum(),
          time.toString());
    }
    assertEquals(0L, report.dropped().get("offcpu.threadMapFull"));
  }

  @Test
  void threadsPastTheMapAreCountedAndTheRestStillAddUp() throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    OffCpuProbe probe = new OffCpuProbe(new OffCpuOptions(true, OffCpuOptions.DEFAULT_MIN_NS, 64, 1024), SyscallTable.forThisMachine());
    ReportBuilder report = new ReportBuilder();
    int threads = 100;
    List<Integer> tids = new ArrayList<>();
    try (ThisJvm jvm = ThisJvm.context(registry); probe) {
      probe.start(jvm.context());
      CountDownLatch started = new CountDownLatch(threads);
      CountDownLatch release = new CountDownLatch(1);
      List<Thread> all = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Thread t = new Thread(() -> {
          synchronized (tids) {
            tids.add(currentTid());
          }
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        }, "waiter-" + i);
        t.start();
        all.add(t);
      }
      started.await();
      release.countDown();
      for (Thread t : all) {
        t.join();
      }
      probe.contribute(report);
    }
    long notFollowed = report.dropped().get("offcpu.threadMapFull");
    System.out.printf("%d threads through a 64-entry map: %d not followed%n", threads, notFollowed);
    assertTrue(notFollowed > 0, "100 live threads fit a 64-entry map?");
    for (ThreadSummary thread : report.threads(registry)) {
      TimeSummary time = thread.time();
      if (time != null && time.onCpuNs() + time.runQueueNs() > 0) {
        assertEquals(time.wallNs(), time.onCpuNs() + time.runQueueNs() + time.offCpuNs(), thread.toString());
      }
    }
  }

  /**
   * A thread that ends during a pause is not seen to end (its last switch-out is not traced): the
   * resume reads it out as ended at the pause's start, so it does not accrue the time since.
   */
  @Test
  void aThreadThatEndsDuringAPauseEndsAtThePause() throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    OffCpuProbe probe = new OffCpuProbe(OffCpuOptions.defaults(), SyscallTable.forThisMachine());
    ReportBuilder report = new ReportBuilder();
    int[] tid = new int[1];
    long startedNs;
    long pausedNs;
    try (ThisJvm jvm = ThisJvm.context(registry); probe) {
      probe.start(jvm.context());
      CountDownLatch release = new CountDownLatch(1);
      startedNs = System.nanoTime();
      Thread ender = new Thread(() -> {
        tid[0] = currentTid();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }, "ender");
      ender.start();
      Thread.sleep(200);
      probe.pause();
      pausedNs = System.nanoTime();
      release.countDown();
      ender.join();
      Thread.sleep(500); // until the kernel has freed the task: gone from /proc/self/task
      probe.resume();
      Thread.sleep(300);
      probe.contribute(report);
    }
    TimeSummary ender = time(report, registry, tid[0]);
    System.out.printf("ender: %.1f ms of wall time, %.1f ms from its start to the pause%n",
        ender.wallNs() / 1e6, (pausedNs - startedNs) / 1e6);
    assertTrue(ender.wallNs() <= pausedNs - startedNs, "ender accrued time past the pause: " + ender);
    assertTrue(ender.endedAt() != null, "ender is not said to have ended: " + ender);
    assertEquals(ender.wallNs(), ender.onCpuNs() + ender.runQueueNs() + ender.offCpuNs(), ender.toString());
  }

  private static TimeSummary time(ReportBuilder report, ThreadRegistry registry, int tid) {
    return report.threads(registry).stream().filter(t -> t.tid() == tid).findFirst()
        .orElseThrow(() -> new AssertionError("no thread " + tid + " in the report")).time();
  }

  private static void burn() {
    long x = System.nanoTime();
    for (int i = 0; i < 20_000; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
    }
    sink = x;
  }

  private static int currentTid() {
    try {
      return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
