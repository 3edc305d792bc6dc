package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static io.jvmebpf.smoke.SmokeAssertions.assertWriterCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's main promise, on a workload with a known answer: 5,000 write(2) calls by the thread
 * named {@code writer}, counted exactly, while another JVM's {@code writer} does the same next to
 * it and must not be counted. One child run; each test checks one aspect of it.
 */
@ExtendWith(RequiresBpf.class)
class SyscallCountIT {
  private static final int WRITES = 5_000;

  private static NoiseProcess noise;
  private static AgentRun.Result run;
  private static Summary summary;

  @BeforeAll
  static void runWriterNextToNoise() throws Exception {
    noise = NoiseProcess.start();
    run = AgentRun.writer(WRITES).run();
    summary = run.summary();
  }

  @AfterAll
  static void killNoise() {
    if (noise != null) {
      noise.close();
    }
  }

  @Test
  void applicationCompletesAndTheReportIsWritten() {
    assertWriterCompleted(run, WRITES);
    assertReportLine(run);
    assertEquals("on", summary.feature("syscalls"), run.describe());
    assertEquals(run.pid(), summary.pid());
  }

  @Test
  void writerWritesAreCountedExactly() {
    assertExactWrites(summary, WRITES);
  }

  @Test
  void onlyThisProcessThreadsAreReported() {
    Set<Long> noiseTids = noise.tids();
    assertFalse(noiseTids.isEmpty(), "no thread ids collected from the noise process");
    for (JsonNode thread : summary.threads()) {
      long tid = Summary.tid(thread);
      assertTrue(tid > 0, "thread without a real tid: " + thread);
      assertFalse(noiseTids.contains(tid),
          "thread " + tid + " '" + thread.path("name").asText() + "' belongs to the noise process "
              + noise.pid());
    }
  }

  @Test
  void javaThreadsCarryTheirJavaNamesAndIds() {
    // main started before the agent's JFR stream, and the JVM's thread list shows its tid as
    // DestroyJavaVM once main() returns: the agent names it at premain, which runs on it.
    List<JsonNode> main = summary.threadsNamed("main");
    assertEquals(1, main.size(), summary.threads().toString());
    assertTrue(main.get(0).path("javaThreadId").isNumber(), main.toString());
    assertTrue(main.get(0).path("syscalls").size() > 0, main.toString());
    assertTrue(summary.threads().stream().noneMatch(t -> t.path("name").asText().equals("DestroyJavaVM")));
  }

  @Test
  void overheadIsMeasured() {
    for (String field : new String[] {"startupMs", "bpfMapBytes", "rssBytes", "cpuNs", "bpfRunCount"}) {
      JsonNode value = summary.overhead(field);
      assertTrue(value.isNumber() && value.asLong() > 0, "agent.overhead." + field + " = " + value);
    }
  }

  @Test
  void stderrHasOnlyTheAgentsLines() {
    assertReportLine(run); // so that the check below is not over an empty stderr
    assertOnlyAgentLines(run);
  }
}
