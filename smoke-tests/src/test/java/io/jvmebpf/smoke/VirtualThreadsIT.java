package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12's test: 1,000 virtual threads, 500 {@code burner-N} spinning 50 ms and 500
 * {@code sleeper-N} sleeping 50 ms, all at once on the default scheduler's carriers. The kernel
 * samples the carriers; the ground truth is that the carriers, while they ran, ran burners nearly
 * all the time (a sleeper is mounted for microseconds around its sleep): so at least 90% of the
 * carriers' samples must be the burners', the sleepers' next to none, and every virtual thread
 * named and counted once under its pattern. The sleepers' sleeps come from the JVM's
 * own records (the kernel never sees a virtual thread block), with offcpu=off: virtual threads
 * need no scheduler tracer. Without -XX:+PreserveFramePointer, as users run, the kernel's walk stops
 * at JIT code: a burner's Java frames come from the JVM's own sample of that virtual thread.
 */
@ExtendWith(RequiresBpf.class)
class VirtualThreadsIT {
  static final String WORKLOAD = "io.jvmebpf.workloads.VirtualThreadsWorkload";
  static final int EACH = 500;
  static final long BURN_NS = 50_000_000L;

  private static AgentRun.Result run;
  private static Summary summary;

  @BeforeAll
  static void profile() throws Exception {
    // 25 s of CPU on two carriers: minutes on a busy machine. The 5 s delay lets the agent start.
    run = AgentRun.of(WORKLOAD, "5000", Integer.toString(EACH), Integer.toString(EACH))
        .agentOptions("syscalls=off,offcpu=off,net=off,files=off,processes=off,faults=off")
        .timeoutSeconds(300)
        .run();
    summary = run.summary();
  }

  @Test
  void theWorkloadEndsAndVirtualThreadsAreFollowed() {
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.stdout().stream().anyMatch(l -> l.startsWith("virtual threads ended: 1000")), run.describe());
    assertOnlyAgentLines(run);
    assertEquals("on", summary.feature("vthreads"), run.describe());
    JsonNode vthreads = Summary.required(summary.root(), "virtualThreads");
    assertTrue(vthreads.path("mounts").asLong() >= 3 * EACH, "a mount per burner, two per sleeper: " + vthreads);
    assertEquals(0, summary.dropped("vthreads.slotCollisions"));
    assertEquals(EACH, pattern("burner-#").path("threads").asLong());
    assertEquals(EACH, pattern("sleeper-#").path("threads").asLong());
  }

  @Test
  void theBurnersHoldAtLeastNinetyPercentOfTheirCarriersSamples() {
    long carriers = 0;
    long virtualOnCarriers = 0;
    for (JsonNode thread : summary.threads()) {
      if (thread.path("name").asText().startsWith("ForkJoinPool-1-worker-")) {
        carriers += thread.path("cpu").path("samples").asLong();
        virtualOnCarriers += thread.path("cpu").path("virtualThreadSamples").asLong();
      }
    }
    long burners = pattern("burner-#").path("cpuSamples").asLong();
    long sleepers = pattern("sleeper-#").path("cpuSamples").asLong();
    double share = (double) burners / carriers;
    System.out.printf("burner samples %d of the carriers' %d (%.1f%%), %d on a virtual thread; sleepers %d%n",
        burners, carriers, 100 * share, virtualOnCarriers, sleepers);
    assertTrue(share >= 0.90, "burners " + burners + " of the carriers' " + carriers + " samples: " + share);
    // The kernel samples CPU time the burners got, at least half the 25 s they spun on a busy machine.
    assertTrue(pattern("burner-#").path("cpuNs").asLong() >= EACH * BURN_NS / 2, pattern("burner-#").toString());
    assertTrue(sleepers <= burners / 100, "sleepers have " + sleepers + " samples, burners " + burners);
  }

  @Test
  void theProfileNamesEachBurnerWithItsCarrierAndItsJavaFrames() throws Exception {
    List<String> collapsed = Files.readAllLines(run.reportDir().resolve("cpu.collapsed"));
    List<String> burnerLines = collapsed.stream()
        .filter(l -> l.startsWith("[burner-") && l.contains(" (virtual #") && l.contains(" on ForkJoinPool-1-worker-"))
        .toList();
    long threads = burnerLines.stream().map(l -> l.substring(0, l.indexOf(' '))).distinct().count();
    assertTrue(threads >= EACH / 2, "burners in the profile: " + threads);
    long all = burnerLines.stream().mapToLong(VirtualThreadsIT::count).sum();
    long burning = burnerLines.stream().filter(l -> l.contains("VirtualThreadsWorkload.burn")).mapToLong(VirtualThreadsIT::count).sum();
    System.out.printf("burner samples under VirtualThreadsWorkload.burn: %d of %d%n", burning, all);
    assertTrue(burning >= all / 2, "burner samples with their Java frame: " + burning + " of " + all);
  }

  private static long count(String collapsedLine) {
    return Long.parseLong(collapsedLine.substring(collapsedLine.lastIndexOf(' ') + 1));
  }

  @Test
  void theSleepersShowTheirSleepsOffCpuAndTheBurnersNone() {
    JsonNode sleepers = pattern("sleeper-#");
    long asleep = 0;
    for (JsonNode ns : sleepers.path("offCpuNs")) {
      asleep += ns.asLong();
    }
    System.out.printf("sleepers: %d blocks, %d ms off CPU %s%n", sleepers.path("blocks").asLong(), asleep / 1_000_000,
        sleepers.path("offCpuNs"));
    // A sleep lasts 50 ms and then until a carrier, busy with burners, runs the sleeper again: the
    // truth is what the sleepers measured around their Thread.sleep calls.
    String line = run.stdout().stream().filter(l -> l.startsWith("sleepers slept-ns=")).findFirst().orElseThrow();
    long measured = Long.parseLong(line.substring(line.indexOf('=') + 1));
    System.out.printf("sleepers measured %d ms in Thread.sleep%n", measured / 1_000_000);
    assertEquals(EACH, sleepers.path("blocks").asLong(), sleepers.toString());
    assertTrue(asleep >= EACH * BURN_NS, "sleepers off CPU " + asleep + " ns: " + sleepers);
    assertTrue(Math.abs((double) asleep / measured - 1) <= 0.05,
        "sleepers off CPU " + asleep + " ns, their own measure " + measured + " ns: " + sleepers);
    assertEquals(0, pattern("burner-#").path("blocks").asLong(), pattern("burner-#").toString());
  }

  /**
   * 100 {@code writer-N} virtual threads making exactly 1,000 one-byte writes each: the syscall
   * probe counts 100,000 writes under {@code writer-#}, whichever carriers they ran on.
   */
  @Test
  void theWritersSyscallsAreTheirsExactly() throws Exception {
    AgentRun.Result writers = AgentRun.of(WORKLOAD, "5000", "0", "0", "50", "100", "1000")
        .agentOptions("syscalls=write,offcpu=off,net=off,files=off,processes=off,faults=off")
        .run();
    assertEquals(0, writers.exitCode(), writers.describe());
    Summary report = writers.summary();
    JsonNode writer = pattern(report, "writer-#");
    assertEquals(100, writer.path("threads").asLong(), writer.toString());
    JsonNode write = writer.path("syscalls").path(0);
    assertEquals("write", write.path("name").asText(), writer.toString());
    assertEquals(100_000, write.path("count").asLong(), writer.toString());
    assertEquals(0, report.dropped("syscalls.vthreadStatsMapFull"));
  }

  private static JsonNode pattern(String name) {
    return pattern(summary, name);
  }

  private static JsonNode pattern(Summary summary, String name) {
    for (JsonNode p : Summary.required(summary.root(), "virtualThreads").path("patterns")) {
      if (name.equals(p.path("name").asText())) {
        return p;
      }
    }
    throw new AssertionError("no pattern " + name + " in " + summary.root().path("virtualThreads"));
  }
}
