package io.jvmebpf.agent.probe.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.CpuOptions;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.report.CpuSummary;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.ThreadSummary;
import io.jvmebpf.agent.stacks.JavaBlockIndex;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.agent.vthreads.VirtualThreadSummary;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * profile.bpf.c's virtual-thread slots in the real kernel, through the probe, in this JVM: one
 * virtual thread burns CPU without ever unmounting, so its carrier's CPU time over the burn, from
 * the carrier's own schedstat read inside the virtual thread, is the virtual thread's; its samples
 * must stand for that time, under its name and its carrier, and be counted on the carrier's row.
 */
@ExtendWith(RequiresBpf.class)
class VirtualThreadSamplesKernelTest {
  private static final long INTERVAL_NS = 1_000_000;
  private static volatile long sink;

  @Test
  void aVirtualThreadsSamplesAreItsOwnWithItsCarrierKept() throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    JavaSampleIndex javaSamples = new JavaSampleIndex();
    CpuProbe probe = new CpuProbe(new CpuOptions(true, CpuOptions.Event.CPU, INTERVAL_NS, 0, 1024, true), javaSamples);
    ReportBuilder report = new ReportBuilder();
    long[] carrierCpuNs = new long[1];
    int[] carrierTid = new int[1];
    try (ThisJvm jvm = ThisJvm.context(registry, javaSamples, new JavaBlockIndex()); probe) {
      probe.start(jvm.context());
      long until = System.nanoTime() + 15_000_000_000L;
      while (!probe.followsVirtualThreads() && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertTrue(probe.followsVirtualThreads(), "the JVMTI helper did not start publishing mounts");
      Thread.ofVirtual().name("vburner-7").start(() -> {
        carrierTid[0] = tid();
        long before = onCpuNs();
        long end = System.nanoTime() + 800_000_000L;
        long x = 1;
        while (System.nanoTime() < end) { // no blocking call: mounted on one carrier throughout
          for (int i = 0; i < 10_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
          }
        }
        sink = x;
        carrierCpuNs[0] = onCpuNs() - before;
      }).join();
      Thread.sleep(300); // its name drained by a poll round
      probe.quiesce();
      probe.contribute(report);
    }
    VirtualThreadSummary vthreads = report.virtualThreads();
    assertNotNull(vthreads);
    VirtualThreadSummary.Pattern burner = vthreads.patterns().stream()
        .filter(p -> p.name().equals("vburner-#")).findFirst().orElseThrow(() -> new AssertionError(vthreads.toString()));
    assertEquals(1, burner.threads());
    double expected = (double) carrierCpuNs[0] / INTERVAL_NS;
    assertTrue(Math.abs(burner.cpuSamples() - expected) <= expected * 0.1,
        "vburner-7: " + burner.cpuSamples() + " samples for " + carrierCpuNs[0] / 1_000_000 + " ms of its carrier's CPU");
    assertEquals(carrierTid[0], burner.carriers().getFirst().tid());
    CpuSummary carrier = report.threads(registry).stream()
        .filter(t -> t.tid() == carrierTid[0]).map(ThreadSummary::cpu).findFirst().orElseThrow();
    assertTrue(carrier.virtualThreadSamples() >= burner.cpuSamples(), carrier.toString());
    assertTrue(report.profiles().getFirst().profile().samples().stream()
        .anyMatch(s -> s.tid() == carrierTid[0] && s.thread().startsWith("vburner-7 (virtual #")),
        "no profile thread for vburner-7 on its carrier");
  }

  private static int tid() {
    try {
      return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The current OS thread's (the carrier's) CPU time, from the kernel's schedstat. */
  private static long onCpuNs() {
    try {
      return Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).split(" ")[0]);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
