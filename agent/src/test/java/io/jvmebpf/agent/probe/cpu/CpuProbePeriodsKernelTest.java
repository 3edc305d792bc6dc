package io.jvmebpf.agent.probe.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.config.CpuOptions;
import io.jvmebpf.agent.config.OtelOptions;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.ReportBuilder.ProfileFile;
import io.jvmebpf.agent.stacks.JavaBlockIndex;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The periods a periodic OTLP export takes from the CPU probe while it samples, and the part the
 * report leaves for the last export, add up to the report's whole profile, stack by stack, and
 * their time spans follow one another. A tiny stack map (and a burner recursing to random depths)
 * makes the probe turn epochs as soon as the last one is drained, about every 3.5 s, instead of
 * every 10 s, so that 10 s of burning give two drained periods before the report.
 */
@ExtendWith(RequiresBpf.class)
class CpuProbePeriodsKernelTest {
  private static final long INTERVAL_NS = 1_000_000;

  @Test
  void periodsAndTheUnexportedPartAddUpToTheWholeProfile() throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    JavaSampleIndex javaSamples = new JavaSampleIndex();
    CpuProbe probe = new CpuProbe(new CpuOptions(true, CpuOptions.Event.CPU, INTERVAL_NS, 0, 64, false), javaSamples);
    ReportBuilder report = new ReportBuilder();
    List<ProfileFile> periods = new ArrayList<>();
    try (ThisJvm jvm = ThisJvm.context(registry, javaSamples, new JavaBlockIndex()); probe) {
      ProbeContext c = jvm.context();
      // An endpoint: periods are kept only when profiles are exported (nothing is sent here).
      AgentOptions exporting = c.options().withOtel(new OtelOptions(URI.create("http://127.0.0.1:9"), Map.of(),
          Map.of(), OtelOptions.DEFAULT_INTERVAL, true));
      probe.start(new ProbeContext(c.scope(), exporting, c.log(), c.threads(), c.symbols(), c.javaSamples(),
          c.javaBlocks(), c.javaSockets(), c.vthreads(), c.spanLinks()));
      Thread burner = new Thread(() -> {
        Random random = new Random(11);
        long until = System.nanoTime() + 10_000_000_000L; // a drain every 3.5 s at most: join delay, then a poll
        while (System.nanoTime() < until) {
          CpuProbeKernelTest.recurse(1 + random.nextInt(120)); // stacks of many depths
        }
      }, "period-burner");
      burner.start();
      while (burner.isAlive()) {
        burner.join(700);
        periods.addAll(probe.exportPeriod());
      }
      probe.quiesce();
      probe.contribute(report);
    }
    ProfileFile whole = report.profiles().getFirst();
    List<ProfileFile> exported = new ArrayList<>(periods);
    exported.add(report.profilesToExport().getFirst());
    assertEquals("cpu", report.profilesToExport().getFirst().baseName());

    Map<List<Object>, Long> expected = counts(List.of(whole));
    Map<List<Object>, Long> actual = counts(exported);
    long periodSamples = periods.stream().mapToLong(p -> p.profile().totalSamples()).sum();
    System.out.printf("%d periods with %d samples, then %d in the report's part; whole profile %d%n", periods.size(),
        periodSamples, exported.getLast().profile().totalSamples(), whole.profile().totalSamples());
    assertTrue(periods.size() >= 2 && periodSamples > 0, periods.size() + " periods with " + periodSamples + " samples");
    assertEquals(expected, actual);
    // Each period starts where the one before ended, the first where the profile starts.
    long at = whole.span().startEpochNanos();
    for (ProfileFile part : exported) {
      assertEquals(at, part.span().startEpochNanos());
      assertTrue(part.span().durationNanos() > 0);
      at += part.span().durationNanos();
    }
    assertTrue(Math.abs(at - (whole.span().startEpochNanos() + whole.span().durationNanos())) < 1_000_000_000L,
        "the periods end " + (at - whole.span().startEpochNanos()) / 1_000_000 + " ms after the start, the profile "
            + whole.span().durationNanos() / 1_000_000 + " ms");
  }

  private static Map<List<Object>, Long> counts(List<ProfileFile> profiles) {
    Map<List<Object>, Long> counts = new HashMap<>();
    for (ProfileFile profile : profiles) {
      for (StackSample s : profile.profile().samples()) {
        counts.merge(List.of(s.tid(), s.frames().stream().map(Frame::name).toList(), s.joined()), s.count(), Long::sum);
      }
    }
    return counts;
  }
}
