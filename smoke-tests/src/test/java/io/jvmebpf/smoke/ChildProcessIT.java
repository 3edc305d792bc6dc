package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The processes a JVM starts, against what ChildProcessWorkload ran and printed: three {@code
 * /bin/sleep 0.2} and one {@code sh -c 'exit 3'}, from the thread {@code launcher}. ProcessBuilder's
 * child execs jspawnhelper first, then the command: the report keeps the command.
 */
@ExtendWith(RequiresBpf.class)
class ChildProcessIT {
  static final String WORKLOAD = "io.jvmebpf.workloads.ChildProcessWorkload";
  static final long MS = 1_000_000;

  @Test
  void everyChildWithItsCommandThreadAndExit() throws Exception {
    check(AgentRun.of(WORKLOAD).run());
  }

  /** In its own PID namespace the JVM knows its children by that namespace's pids: so must the report. */
  @Test
  void inAPidNamespaceByTheJvmsOwnPids() throws Exception {
    Path unshare = Path.of("/usr/bin/unshare");
    assertTrue(Files.isExecutable(unshare), unshare + " (util-linux) is needed for a PID namespace");
    AgentRun.Result run = AgentRun.of(WORKLOAD)
        .launchedThrough(unshare.toString(), "--pid", "--fork", "--mount-proc", "--")
        .run();
    assertEquals(1, run.summary().pid(), "the JVM is pid 1 of its namespace");
    check(run);
  }

  private static void check(AgentRun.Result run) throws Exception {
    assertEquals(0, run.exitCode(), run.describe());
    assertReportLine(run);
    assertOnlyAgentLines(run);
    Summary summary = run.summary();
    assertEquals("on", summary.feature("processes"), run.describe());

    // "ran PID EXIT_CODE ARG..." per child, in order: the workload's own account.
    List<String> ran = run.stdout().stream().filter(l -> l.startsWith("ran ")).toList();
    assertEquals(4, ran.size(), run.describe());
    List<JsonNode> processes = new ArrayList<>();
    Summary.required(summary.root(), "processes").forEach(processes::add);
    for (JsonNode p : processes) {
      System.out.printf("child %s argv %s thread %s exit %s signal %s duration %.1f ms cpu %.2f ms started %s%n",
          p.get("pid"), p.get("argv"), p.get("thread").asText(), p.get("exitCode"), p.get("signal"),
          p.get("durationNs").asLong() / 1e6, p.get("cpuNs").asLong() / 1e6, p.get("startedAt").asText());
    }
    assertEquals(4, processes.size(), "no other process than the workload's: " + processes);

    Instant jvmStart = Instant.parse(Summary.required(summary.root().path("process"), "startedAt").asText());
    for (int i = 0; i < 4; i++) {
      JsonNode p = processes.get(i);
      String[] line = ran.get(i).split(" ", 4);
      boolean sleep = i < 3;
      assertEquals(Long.parseLong(line[1]), p.get("pid").asLong(), ran.get(i) + " vs " + p);
      assertEquals(sleep ? List.of("/bin/sleep", "0.2") : List.of("sh", "-c", "exit 3"), strings(p.get("argv")));
      assertEquals(sleep ? 0 : 3, p.get("exitCode").asInt(), p.toString());
      assertEquals(Integer.parseInt(line[2]), p.get("exitCode").asInt(), p.toString());
      assertTrue(p.get("signal").isNull(), p.toString());
      assertEquals("launcher", p.get("thread").asText(), p.toString());
      assertTrue(p.get("tid").asLong() > 0, p.toString());
      long duration = p.get("durationNs").asLong();
      assertTrue(sleep ? duration >= 200 * MS && duration < 2000 * MS : duration > 0 && duration < 1000 * MS,
          "duration " + duration + " ns: " + p);
      // What the scheduler had accounted at the exit: a process that ends within its first slice
      // (sh -c 'exit 3', about a millisecond) may show 0; a sleep ran before and after it slept.
      long cpu = p.get("cpuNs").asLong();
      assertTrue((sleep ? cpu > 0 : cpu >= 0) && cpu < duration, "cpu " + cpu + " ns: " + p);
      assertTrue(!Instant.parse(p.get("startedAt").asText()).isBefore(jvmStart), p + " before " + jvmStart);
    }
    assertEquals(1, processes.stream().map(p -> p.get("tid").asLong()).distinct().count(), processes.toString());
    JsonNode dropped = summary.root().path("agent").path("dropped");
    for (String kind : List.of("processes.childrenMapFull", "processes.exitEventsLost", "processes.reportFull")) {
      assertEquals(0, Summary.required(dropped, kind).asLong(), kind);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(e -> list.add(e.asText()));
    return list;
  }
}
