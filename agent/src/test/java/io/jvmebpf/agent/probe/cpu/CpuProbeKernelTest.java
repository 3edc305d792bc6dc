package io.jvmebpf.agent.probe.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.CpuOptions;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.stacks.JavaBlockIndex;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.CpuSummary;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.ThreadSummary;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * profile.bpf.c in the real kernel, through the probe, sampling this JVM every millisecond while
 * one thread recurses to random depths, so that its stacks outnumber a deliberately tiny stack
 * map: the poller turns to the other pair of maps as soon as one is a quarter full and drains the old
 * one while sampling goes on; every sample must still be counted exactly once (the lost stacks are
 * reported, not the samples), and the thread's samples must match the CPU time the JVM measured.
 */
@ExtendWith(RequiresBpf.class)
class CpuProbeKernelTest {
  private static final long INTERVAL_NS = 1_000_000;
  private static final long MIN_BURN_NS = 1_500_000_000L;
  /** Enough for the poller to turn to the other maps and drain the first pair meanwhile. */
  private static final long MAX_BURN_NS = 15_000_000_000L;
  private static volatile long sink;

  @Test
  void countsEverySampleWhenTheStackMapOverflowsAndMatchesThreadCpuTime() throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    CpuOptions options = new CpuOptions(true, CpuOptions.Event.CPU, INTERVAL_NS, 0, 64, true);
    JavaSampleIndex javaSamples = new JavaSampleIndex();
    CpuProbe probe = new CpuProbe(options, javaSamples);
    ReportBuilder report = new ReportBuilder();
    long[] burnerCpuNs = new long[1];
    int[] burnerTid = new int[1];
    try (ThisJvm jvm = ThisJvm.context(registry, javaSamples, new JavaBlockIndex()); probe) {
      probe.start(jvm.context());
      Thread burner = new Thread(() -> {
        burnerTid[0] = currentTid();
        Random random = new Random(7);
        long started = System.nanoTime();
        long burnt;
        do {
          recurse(1 + random.nextInt(120));
          burnt = System.nanoTime() - started;
        } while (burnt < MIN_BURN_NS || (probe.epochsDrained() == 0 && burnt < MAX_BURN_NS));
        burnerCpuNs[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      }, "burner");
      burner.start();
      burner.join();
      assertTrue(probe.epochsDrained() >= 1, "no epoch was drained while sampling");
      probe.quiesce();
      probe.contribute(report);
    }

    long profiled = report.profiles().getFirst().profile().totalSamples();
    long uncounted = report.dropped().get("cpu.samplesUncounted");
    assertEquals(report.cpuInfo().samples(), profiled + uncounted,
        "the kernel's sample counter and its per-stack counts disagree");
    assertTrue(report.dropped().get("cpu.userStacksLost") > 0,
        "a 64-entry stack map held every stack: the test did not overflow it");

    CpuSummary burner = report.threads(registry).stream()
        .filter(t -> t.tid() == burnerTid[0]).map(ThreadSummary::cpu).findFirst().orElseThrow();
    double expected = (double) burnerCpuNs[0] / INTERVAL_NS;
    assertTrue(Math.abs(burner.samples() - expected) <= expected * 0.1,
        "burner: " + burner.samples() + " samples for " + burnerCpuNs[0] / 1_000_000 + " ms of CPU");
    long burnerStacks = report.profiles().getFirst().profile().samples().stream()
        .filter(s -> s.tid() == burnerTid[0]).mapToLong(StackSample::count).sum();
    assertEquals(burner.samples(), burnerStacks);
  }

  /**
   * CPU hotplug, for real: with CPU 1 taken offline after the probe started and brought back, a
   * thread pinned to CPU 1 must still be sampled (the probe re-attaches within a second), and the
   * report must say that a CPU went offline.
   */
  @Test
  void samplesACpuThatWentOfflineAndCameBack() throws Exception {
    Path cpu1 = Path.of("/sys/devices/system/cpu/cpu1/online");
    assertTrue(Files.isWritable(cpu1), "needs a second CPU that root can take offline: " + cpu1);
    ThreadRegistry registry = new ThreadRegistry();
    JavaSampleIndex javaSamples = new JavaSampleIndex();
    CpuProbe probe = new CpuProbe(new CpuOptions(true, CpuOptions.Event.CPU, INTERVAL_NS, 0, 1024, true), javaSamples);
    ReportBuilder report = new ReportBuilder();
    long[] burnerCpuNs = new long[1];
    int[] burnerTid = new int[1];
    try (ThisJvm jvm = ThisJvm.context(registry, javaSamples, new JavaBlockIndex()); probe) {
      probe.start(jvm.context());
      try {
        Files.writeString(cpu1, "0");
        awaitCpus(probe, 1, 1); // the poller's rescan sees it gone
      } finally {
        Files.writeString(cpu1, "1");
      }
      awaitCpus(probe, 2, 1); // and back
      Thread burner = new Thread(() -> {
        burnerTid[0] = currentTid();
        NativeAffinity.pinToCpu(1);
        long until = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < until) {
          recurse(3);
        }
        burnerCpuNs[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      }, "burner-on-cpu1");
      burner.start();
      burner.join();
      probe.quiesce();
      probe.contribute(report);
    }
    assertEquals(1, report.dropped().get("cpu.cpusWentOffline"));
    assertEquals(2, report.cpuInfo().cpusSampled());
    CpuSummary burner = report.threads(registry).stream()
        .filter(t -> t.tid() == burnerTid[0]).map(ThreadSummary::cpu).findFirst().orElseThrow();
    double expected = (double) burnerCpuNs[0] / INTERVAL_NS;
    assertTrue(Math.abs(burner.samples() - expected) <= expected * 0.1,
        "pinned to CPU 1: " + burner.samples() + " samples for " + burnerCpuNs[0] / 1_000_000 + " ms of CPU");
  }

  /** Waits up to 15 s for the probe to sample {@code attached} CPUs after {@code offlined} went offline. */
  private static void awaitCpus(CpuProbe probe, int attached, int offlined) throws InterruptedException {
    long until = System.nanoTime() + 15_000_000_000L;
    int[] now = probe.cpusNowAndOfflined();
    while ((now[0] != attached || now[1] != offlined) && System.nanoTime() < until) {
      Thread.sleep(50);
      now = probe.cpusNowAndOfflined();
    }
    assertEquals(attached + " CPUs sampled, " + offlined + " went offline",
        now[0] + " CPUs sampled, " + now[1] + " went offline");
  }


  private static int currentTid() {
    try {
      return Integer.parseInt(
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).getFileName().toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Burns CPU {@code depth} frames down: a distinct stack per depth. */
  static void recurse(int depth) {
    if (depth == 0) {
      long x = System.nanoTime();
      for (int i = 0; i < 20_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
      }
      sink = x;
      return;
    }
    recurse(depth - 1);
  }
}
