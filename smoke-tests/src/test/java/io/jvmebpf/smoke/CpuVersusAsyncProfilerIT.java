package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our CPU profile against async-profiler's, both sampling the same JVM at the same time (one run:
 * the same execution, so any difference is the profilers'), with -XX:+PreserveFramePointer so the
 * kernel's walk reaches through JIT code. async-profiler 4.6 ({@code event=cpu}: these VMs have no
 * hardware PMU) comes from Maven Central. Shares are taken over the workload's own threads: the
 * JVM's start-up, which async-profiler sees and the agent (started at premain's end) does not,
 * would otherwise weigh on the denominators.
 */
@ExtendWith(RequiresBpf.class)
class CpuVersusAsyncProfilerIT {
  private static final Set<String> AP_JAVA_SUFFIXES = Set.of("_[j]", "_[i]", "_[0]", "_[1]");
  private static final Set<String> WORKLOAD_THREADS = Set.of("spin-a", "spin-b", "syscaller");

  private static AgentRun.Result run;
  private static Summary summary;
  private static Collapsed asyncProfiler;

  @BeforeAll
  static void profileWithBoth() throws Exception {
    Path dir = Files.createTempDirectory("async-profiler");
    Path library = dir.resolve("libasyncProfiler.so");
    try (InputStream in = CpuVersusAsyncProfilerIT.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
      assertNotNull(in, "tools.profiler:async-profiler:4.6 is not on the test classpath");
      Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
    }
    Path apOut = dir.resolve("async-profiler.collapsed");
    run = AgentRun.of(CpuProfileIT.WORKLOAD, "6", "syscalls")
        .jvmFlags("-XX:+PreserveFramePointer",
            "-agentpath:" + library + "=start,event=cpu,interval=10ms,threads,ann,collapsed,file=" + apOut)
        .agentOptions("syscalls=off")
        .run();
    assertEquals(0, run.exitCode(), run.describe());
    summary = run.summary();
    asyncProfiler = Collapsed.read(apOut);
  }

  @Test
  void syscallerShowsKernelFramesUnderItsJavaFrames() throws Exception {
    Collapsed ours = Collapsed.read(run.reportDir().resolve("cpu.collapsed"));
    long withKernelUnderJava = 0;
    long syscallerSamples = 0;
    for (Collapsed.Line line : ours.lines()) {
      if (!line.frames().get(0).startsWith("[syscaller tid=")) {
        continue;
      }
      syscallerSamples += line.count();
      int java = -1;
      int kernel = -1;
      for (int i = 1; i < line.frames().size(); i++) {
        String frame = line.frames().get(i);
        if (frame.startsWith("java.io.FileOutputStream.")) {
          java = i;
        } else if (frame.endsWith("_[k]") && kernel < 0) {
          kernel = i;
        }
      }
      if (java > 0 && kernel > java) {
        withKernelUnderJava += line.count();
      }
    }
    assertTrue(withKernelUnderJava > syscallerSamples / 4,
        withKernelUnderJava + " of " + syscallerSamples + " syscaller samples have kernel frames under"
            + " java.io.FileOutputStream frames");
  }

  @Test
  void topFiveMethodsHaveTheSameSharesAsInAsyncProfilerWithinFivePoints() {
    Collapsed workload = asyncProfiler.ofThreads(WORKLOAD_THREADS);
    Map<String, Long> theirs = workload.byInnermostJava(
        f -> AP_JAVA_SUFFIXES.stream().anyMatch(f::endsWith),
        f -> f.substring(0, f.length() - 4).replace('/', '.'));
    double theirTotal = workload.total();
    Map<String, Long> ours = new HashMap<>();
    double ourTotal = 0;
    for (String name : WORKLOAD_THREADS) {
      JsonNode cpu = summary.onlyThread(name).path("cpu");
      ourTotal += cpu.path("samples").asLong();
      cpu.path("topFrames").forEach(f -> {
        if (Set.of("jit", "inlined", "interpreted").contains(f.path("kind").asText())) {
          ours.merge(f.path("name").asText(), f.path("samples").asLong(), Long::sum);
        }
      });
    }
    List<String> top = theirs.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(5).map(Map.Entry::getKey).toList();
    StringBuilder table = new StringBuilder(String.format(
        "%nsamples of the workload's threads: jvm-ebpf %.0f, async-profiler %.0f%n%-60s %9s %9s%n", ourTotal, theirTotal, "method",
        "jvm-ebpf", "async-p"));
    for (String method : top) {
      table.append(String.format("%-60s %8.1f%% %8.1f%%%n", method,
          100 * ours.getOrDefault(method, 0L) / ourTotal, 100 * theirs.get(method) / theirTotal));
    }
    System.out.println(table);
    for (String method : top) {
      double ourShare = ours.getOrDefault(method, 0L) / ourTotal;
      double theirShare = theirs.get(method) / theirTotal;
      assertTrue(Math.abs(ourShare - theirShare) <= 0.05, method + " differs by more than 5 points:" + table);
    }
  }
}
