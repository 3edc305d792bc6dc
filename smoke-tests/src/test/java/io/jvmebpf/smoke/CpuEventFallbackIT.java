package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static io.jvmebpf.smoke.SmokeAssertions.stderrLinesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code event=cycles} on a machine without a hardware PMU (these VMs): the sampler falls back to
 * the cpu-clock, says so once in the start line, and profiles as usual.
 */
@ExtendWith(RequiresBpf.class)
class CpuEventFallbackIT {
  @Test
  void cyclesWithoutAPmuFallBackToTheCpuClockInOneSentence() throws Exception {
    AgentRun.Result run = AgentRun.of(CpuProfileIT.WORKLOAD, "1").agentOptions("event=cycles").run();

    assertEquals(0, run.exitCode(), run.describe());
    Summary summary = run.summary();
    assertEquals("on", summary.feature("cpu"));
    if (summary.cpu().path("event").asText().equals("cycles")) {
      return; // a machine with a PMU: nothing to fall back from
    }
    assertEquals("cpu", summary.cpu().path("event").asText());
    List<String> said = stderrLinesWith(run, "event=cycles");
    assertEquals(1, said.size(), run.describe());
    assertTrue(said.get(0).contains("no hardware cycles counter"), said.get(0));
    assertTrue(summary.onlyThread("spin-a").path("cpu").path("samples").asLong() > 20, run.describe());
    assertTrue(Files.size(run.reportDir().resolve("cpu.collapsed")) > 0);
    assertReportLine(run);
    assertOnlyAgentLines(run);
  }
}
