package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CPU profile of a workload with a known answer, as a user gets it by default (no
 * -XX:+PreserveFramePointer): thread spin-a runs spinA() all the time, spin-b runs spinB() half
 * the time, so their samples must stand 2:1. On two vCPUs the JIT's and the agent's own threads
 * take their share too, so the exact answer is the CPU time the JVM measured for each thread,
 * which the workload prints: the profile must match that ratio, and that ratio must be about 2.
 */
@ExtendWith(RequiresBpf.class)
class CpuProfileIT {
  static final String WORKLOAD = "io.jvmebpf.workloads.CpuWorkload";
  static final String SPIN_A = "io.jvmebpf.workloads.CpuWorkload.spinA";
  static final String SPIN_B = "io.jvmebpf.workloads.CpuWorkload.spinB";

  private static AgentRun.Result run;
  private static Summary summary;

  @BeforeAll
  static void profile() throws Exception {
    run = AgentRun.of(WORKLOAD, "6").agentOptions("syscalls=off").run();
    summary = run.summary();
  }

  @Test
  void applicationCompletesAndTheSamplerRan() {
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.stdout().stream().anyMatch(l -> l.startsWith("cpu-ns ")), run.describe());
    assertOnlyAgentLines(run);
    assertEquals("on", summary.feature("cpu"), run.describe());
    assertEquals("cpu", summary.cpu().path("event").asText());
    assertEquals(10_000_000, summary.cpu().path("intervalNs").asLong());
  }

  @Test
  void spinAAndSpinBAreTheHottestJavaFramesOfTheirThreadsTwoToOne() {
    Map<String, Long> a = Summary.topFrames(summary.onlyThread("spin-a"));
    Map<String, Long> b = Summary.topFrames(summary.onlyThread("spin-b"));
    assertEquals(SPIN_A, a.keySet().iterator().next(), "spin-a's hottest frames: " + a);
    assertEquals(SPIN_B, b.keySet().iterator().next(), "spin-b's hottest frames: " + b);
    double ratio = (double) a.get(SPIN_A) / b.get(SPIN_B);
    double truth = (double) cpuNs("spin-a") / cpuNs("spin-b");
    System.out.printf("spinA:spinB samples %d:%d = %.3f; thread CPU time ratio %.3f%n",
        a.get(SPIN_A), b.get(SPIN_B), ratio, truth);
    assertTrue(Math.abs(ratio / truth - 1) <= 0.15, "spinA:spinB samples " + a.get(SPIN_A) + ":"
        + b.get(SPIN_B) + " = " + ratio + ", not the threads' CPU time ratio " + truth + " within 15%");
    assertTrue(truth > 2 * 0.7 && truth < 2 * 1.3, "the workload did not run 2:1 (" + truth + "): machine too busy?");
  }

  /** The CPU time the JVM measured for a thread, from the workload's {@code cpu-ns} line. */
  private static long cpuNs(String thread) {
    String line = run.stdout().stream().filter(l -> l.startsWith("cpu-ns ")).findFirst().orElseThrow();
    for (String field : line.split(" ")) {
      if (field.startsWith(thread + "=")) {
        return Long.parseLong(field.substring(thread.length() + 1));
      }
    }
    throw new AssertionError("no " + thread + " in " + line);
  }

  @Test
  void everySampleOfTheSpinThreadsHasJavaFrames() {
    for (String name : List.of("spin-a", "spin-b")) {
      JsonNode cpu = summary.onlyThread(name).path("cpu");
      long samples = cpu.path("samples").asLong();
      assertTrue(samples > 100, name + " has only " + samples + " samples");
      assertTrue(cpu.path("javaSamples").asLong() >= samples * 0.95,
          name + ": " + cpu.path("javaSamples") + " of " + samples + " samples have Java frames");
    }
  }

  /**
   * Without frame pointers the kernel's walk stops inside JIT code; the JVM's own samples must
   * still give the whole Java stack, down to the thread's first frame. Not all: JFR records from
   * about half a second after the agent starts sampling, and samples of that first moment have no
   * JVM sample near enough to join (of a 6 s run, up to about 15%).
   */
  @Test
  void spinAStacksReachDownToThreadRun() throws Exception {
    Collapsed collapsed = Collapsed.read(run.reportDir().resolve("cpu.collapsed")).ofThreads(java.util.Set.of("spin-a"));
    long rooted = collapsed.lines().stream()
        .filter(l -> l.frames().size() > 1 && l.frames().get(1).equals("java.lang.Thread.run"))
        .mapToLong(Collapsed.Line::count).sum();
    assertTrue(rooted >= collapsed.total() * 0.75,
        rooted + " of " + collapsed.total() + " spin-a samples have java.lang.Thread.run at their root");
  }

  @Test
  void collapsedStacksAreRootedAtThreadsAndAddUpToTheSamples() throws Exception {
    Collapsed collapsed = Collapsed.read(run.reportDir().resolve("cpu.collapsed"));
    assertEquals(summary.cpu().path("samples").asLong(), collapsed.total());
    long spinA = collapsed.lines().stream()
        .filter(l -> l.frames().get(0).startsWith("[spin-a tid="))
        .filter(l -> l.frames().contains(SPIN_A))
        .mapToLong(Collapsed.Line::count).sum();
    assertTrue(spinA > 0, "no spin-a stack with " + SPIN_A + " in cpu.collapsed");
  }

  /** The pprof file, read with classes generated from the pprof schema: the same samples. */
  @Test
  void pprofParsesAndItsTotalsAreTheCollapsedFilesTotals() throws Exception {
    io.jvmebpf.agent.report.profile.pprof.PprofProto.Profile pprof;
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
        Files.newInputStream(run.reportDir().resolve("cpu.pb.gz")))) {
      pprof = io.jvmebpf.agent.report.profile.pprof.PprofProto.Profile.parseFrom(in);
    }
    assertEquals("samples", pprof.getStringTable((int) pprof.getSampleType(0).getType()));
    assertEquals("cpu", pprof.getStringTable((int) pprof.getSampleType(1).getType()));
    assertEquals(10_000_000, pprof.getPeriod());
    long samples = 0;
    long nanos = 0;
    for (var sample : pprof.getSampleList()) {
      samples += sample.getValue(0);
      nanos += sample.getValue(1);
    }
    long collapsedTotal = Collapsed.read(run.reportDir().resolve("cpu.collapsed")).total();
    assertEquals(collapsedTotal, samples);
    assertEquals(collapsedTotal * 10_000_000, nanos);
  }

  @Test
  void flameGraphIsOneSelfContainedPage() throws Exception {
    String html = Files.readString(run.reportDir().resolve("cpu.html"));
    assertTrue(html.contains("spinA"), "cpu.html lacks spinA");
    // Only what a browser would fetch: script and image sources, stylesheets, imports, fetch().
    // (An SVG namespace URI such as xmlns='http://www.w3.org/2000/svg' fetches nothing.)
    assertFalse(html.matches("(?s).*(src\\s*=\\s*['\"]?https?:|<link[^>]+href\\s*=\\s*['\"]?https?:"
        + "|@import|fetch\\().*"), "cpu.html fetches from the network");
  }
}
