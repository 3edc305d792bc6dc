package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static io.jvmebpf.smoke.SmokeAssertions.stderrLinesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bounded under hostile workloads ({@code -Psoak}, not in CI): HostileWorkload's threads,
 * connections, malloc and syscall storms, each run without and with the agent (defaults),
 * alternately, twice. The agent's peak RSS (the JVM's VmHWM with the agent less without) stays
 * under {@value #ADDED_PEAK_RSS_BOUND_MB} MB and its BPF maps under {@value #MAP_BOUND_MB} MB;
 * every non-zero loss counter is in the one "did not fit" line; the throughput loss is measured.
 * Figures go to {@code target/soak/hostile.txt}.
 */
@ExtendWith(RequiresBpf.class)
class HostileWorkloadsSoak {
  /** The same heap for both runs, so that the difference is the agent's. */
  private static final String[] JVM_FLAGS = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=64m"};
  /** The agent's heap allocations land in the pretouched heap; this bounds its native memory. */
  private static final long ADDED_PEAK_RSS_BOUND_MB = 128;
  /** The maps at their default sizes, preallocated: about 67 MB on 6.18, the same whatever the load. */
  private static final long MAP_BOUND_MB = 80;
  private static final int RUNS = 2;
  /** agent.dropped counters that count something other than a loss (see DroppedLine). */
  private static final List<String> NOT_LOSSES = List.of("offcpu.switchesOutOfOrder", "cpu.cpusWentOffline");

  @BeforeAll
  static void forgetTheLastRunsFigures() throws Exception {
    Files.deleteIfExists(figuresFile());
  }

  private static Path figuresFile() throws Exception {
    return Files.createDirectories(AgentRun.workloadsJar().getParent().resolve("soak")).resolve("hostile.txt");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"threads, 10000", "connections, 100000", "malloc, 2000000", "syscalls, 10000000"})
  void theAgentStaysBounded(String mode, long n) throws Exception {
    List<Long> rateWithout = new ArrayList<>();
    List<Long> rateWith = new ArrayList<>();
    List<Long> peakWithout = new ArrayList<>();
    List<Long> peakWith = new ArrayList<>();
    AgentRun.Result last = null;
    for (int i = 0; i < RUNS; i++) {
      AgentRun.Result without = run(mode, n).withoutAgent().run();
      assertEquals(0, without.exitCode(), without.describe());
      rateWithout.add(figure(without, mode + " ", ": ", " ops/s"));
      peakWithout.add(figure(without, "peak-rss-kb ", " ", ""));
      last = run(mode, n).run();
      assertEquals(0, last.exitCode(), last.describe());
      assertReportLine(last);
      assertOnlyAgentLines(last);
      rateWith.add(figure(last, mode + " ", ": ", " ops/s"));
      peakWith.add(figure(last, "peak-rss-kb ", " ", ""));
    }
    Summary summary = last.summary();
    long mapBytes = summary.overhead("bpfMapBytes").asLong();
    Map<String, Long> losses = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = summary.root().path("agent").path("dropped").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> counter = it.next();
      if (counter.getValue().asLong() > 0 && !NOT_LOSSES.contains(counter.getKey())) {
        losses.put(counter.getKey(), counter.getValue().asLong());
      }
    }
    List<String> lossLines = stderrLinesWith(last, "did not fit");
    assertEquals(losses.isEmpty() ? 0 : 1, lossLines.size(), "the loss line\n" + last.describe());
    losses.forEach((name, count) -> assertTrue(lossLines.getFirst().contains(name + "=" + count), name + " not in the line"));

    long addedPeakKb = median(peakWith) - median(peakWithout);
    double loss = 1 - median(rateWith) / (double) median(rateWithout);
    String figures = String.format("%s %,d: %,d ops/s without the agent, %,d with (throughput loss %.0f%%); peak RSS"
            + " %,d KB without, %,d KB with (agent %+,d KB); BPF maps %,d KB; agent start-up RSS %,d KB; losses %s",
        mode, n, median(rateWithout), median(rateWith), 100 * loss, median(peakWithout), median(peakWith),
        addedPeakKb, mapBytes / 1024, summary.overhead("rssBytes").asLong() / 1024, losses.isEmpty() ? "none" : losses);
    Files.writeString(figuresFile(), figures + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println("HostileWorkloadsSoak: " + figures);
    assertTrue(addedPeakKb <= ADDED_PEAK_RSS_BOUND_MB * 1024, figures);
    assertTrue(mapBytes <= MAP_BOUND_MB << 20, figures);
  }

  private static AgentRun run(String mode, long n) {
    return AgentRun.of("io.jvmebpf.workloads.HostileWorkload", mode, Long.toString(n)).jvmFlags(JVM_FLAGS);
  }

  /** The number between {@code after} and {@code before} on the stdout line starting with {@code line}. */
  private static long figure(AgentRun.Result run, String line, String after, String before) {
    String found = run.stdout().stream().filter(l -> l.startsWith(line)).findFirst()
        .orElseThrow(() -> new AssertionError("no line '" + line + "'\n" + run.describe()));
    int from = found.lastIndexOf(after) + after.length();
    return Long.parseLong(found.substring(from, found.length() - before.length()));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }
}
