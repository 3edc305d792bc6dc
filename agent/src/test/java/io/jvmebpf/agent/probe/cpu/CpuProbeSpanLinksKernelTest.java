package io.jvmebpf.agent.probe.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.config.CpuOptions;
import io.jvmebpf.agent.config.OtelOptions;
import io.jvmebpf.agent.otel.SpanLink;
import io.jvmebpf.agent.otel.SpanLinks;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.stacks.JavaBlockIndex;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CPU probe in the real kernel, with span links: a thread burns 600 ms "in" span A, 600 ms in
 * span B, then 300 ms in none, and says when, through a {@link SpanLinks} of its own phases (the
 * ground truth: the span hook will answer the same question from real spans). Each span's samples
 * in the profile must match the CPU time the thread measured in that phase, and no other thread's
 * sample may claim a span.
 */
@ExtendWith(RequiresBpf.class)
class CpuProbeSpanLinksKernelTest {
  private static final long INTERVAL_NS = 1_000_000;
  private static final SpanLink A = new SpanLink(0xaL, 0x1L, 0xa1L);
  private static final SpanLink B = new SpanLink(0xbL, 0x2L, 0xb2L);
  private static volatile long sink;

  /** Which phase the burner was in when: written by the burner, read by the probe's join. */
  private static final class Phases implements SpanLinks {
    volatile int tid = -1;
    volatile long aStart = Long.MAX_VALUE;
    volatile long bStart = Long.MAX_VALUE;
    volatile long bEnd = Long.MAX_VALUE;

    @Override
    public SpanLink at(int tid, long monotonicNs) {
      if (tid != this.tid || monotonicNs < aStart || monotonicNs >= bEnd) {
        return null;
      }
      return monotonicNs < bStart ? A : B;
    }
  }

  @Test
  void samplesLinkToTheSpanTheirThreadWasIn() throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    JavaSampleIndex javaSamples = new JavaSampleIndex();
    CpuProbe probe = new CpuProbe(new CpuOptions(true, CpuOptions.Event.CPU, INTERVAL_NS, 0, 1024, false), javaSamples);
    ReportBuilder report = new ReportBuilder();
    Phases phases = new Phases();
    long[] cpuNs = new long[3]; // in A, in B, after
    try (ThisJvm jvm = ThisJvm.context(registry, javaSamples, new JavaBlockIndex()); probe) {
      ProbeContext c = jvm.context();
      // Links are kept for exports only: an endpoint (nothing is sent here).
      AgentOptions exporting = c.options().withOtel(new OtelOptions(URI.create("http://127.0.0.1:9"), Map.of(),
          Map.of(), OtelOptions.DEFAULT_INTERVAL, true));
      probe.start(new ProbeContext(c.scope(), exporting, c.log(), c.threads(), c.symbols(), c.javaSamples(),
          c.javaBlocks(), c.javaSockets(), c.vthreads(), phases));
      Thread burner = new Thread(() -> {
        var bean = ManagementFactory.getThreadMXBean();
        phases.tid = currentTid();
        long cpu0 = bean.getCurrentThreadCpuTime();
        phases.aStart = System.nanoTime();
        burn(phases.aStart + 600_000_000L);
        long cpu1 = bean.getCurrentThreadCpuTime();
        phases.bStart = System.nanoTime();
        burn(phases.bStart + 600_000_000L);
        long cpu2 = bean.getCurrentThreadCpuTime();
        phases.bEnd = System.nanoTime();
        burn(phases.bEnd + 300_000_000L);
        cpuNs[0] = cpu1 - cpu0;
        cpuNs[1] = cpu2 - cpu1;
        cpuNs[2] = bean.getCurrentThreadCpuTime() - cpu2;
      }, "span-burner");
      burner.start();
      burner.join();
      probe.quiesce();
      probe.contribute(report);
    }

    // The files' profile has no links; the export's (the whole run here: no period was taken) has.
    assertTrue(report.profiles().getFirst().profile().samples().stream().allMatch(s -> s.link() == null));
    assertEquals(report.profiles().getFirst().profile().totalSamples(),
        report.profilesToExport().getFirst().profile().totalSamples());
    Map<SpanLink, Long> burnerByLink = new HashMap<>();
    long otherLinked = 0;
    for (StackSample sample : report.profilesToExport().getFirst().profile().samples()) {
      if (sample.tid() == phases.tid) {
        burnerByLink.merge(sample.link() == null ? new SpanLink(0, 0, 0) : sample.link(), sample.count(), Long::sum);
      } else if (sample.link() != null) {
        otherLinked += sample.count();
      }
    }
    System.out.printf("span-burner: A %d samples for %d ms of CPU, B %d for %d ms, none %d for %d ms (+ start-up)%n",
        burnerByLink.get(A), cpuNs[0] / 1_000_000, burnerByLink.get(B), cpuNs[1] / 1_000_000,
        burnerByLink.get(new SpanLink(0, 0, 0)), cpuNs[2] / 1_000_000);
    assertEquals(0, otherLinked, "samples of other threads linked to a span");
    assertEquals(0, report.dropped().get("cpu.spanLinksDropped"));
    assertEquals(0, report.dropped().get("cpu.sampleEventsLost"), "events lost: the split would be a guess");
    for (int phase = 0; phase < 2; phase++) {
      SpanLink link = phase == 0 ? A : B;
      double expected = (double) cpuNs[phase] / INTERVAL_NS;
      long linked = burnerByLink.getOrDefault(link, 0L);
      assertTrue(Math.abs(linked - expected) <= expected * 0.1 + 5,
          "span " + (phase == 0 ? "A" : "B") + ": " + linked + " samples for " + cpuNs[phase] / 1_000_000 + " ms of CPU");
    }
    // The last phase, and whatever the thread did before A, link to nothing.
    long unlinked = burnerByLink.getOrDefault(new SpanLink(0, 0, 0), 0L);
    assertTrue(unlinked >= cpuNs[2] / INTERVAL_NS * 0.9 - 5, unlinked + " unlinked samples for "
        + cpuNs[2] / 1_000_000 + " ms of CPU after the spans");
  }

  private static void burn(long until) {
    long x = System.nanoTime();
    while (System.nanoTime() < until) {
      for (int i = 0; i < 20_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
      }
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
