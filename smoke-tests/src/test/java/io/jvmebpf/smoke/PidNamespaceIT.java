package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static io.jvmebpf.smoke.SmokeAssertions.assertWriterCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JVM in its own PID namespace, as in a container, where it is pid 1 and its tids are not the
 * kernel's: the programs must still count its threads, exactly, by the ids the JVM knows, and
 * never the host's pid 1.
 */
@ExtendWith(RequiresBpf.class)
class PidNamespaceIT {
  private static final Path UNSHARE = Path.of("/usr/bin/unshare");
  private static final int WRITES = 5_000;

  @Test
  void countsTheJvmOfAChildPidNamespaceByItsOwnIds() throws Exception {
    assertTrue(Files.isExecutable(UNSHARE), UNSHARE + " (util-linux) is needed for a PID namespace");
    AgentRun.Result run = AgentRun.writer(WRITES)
        .launchedThrough(UNSHARE.toString(), "--pid", "--fork", "--mount-proc", "--")
        .run();

    assertWriterCompleted(run, WRITES);
    assertReportLine(run);
    assertOnlyAgentLines(run);
    Summary summary = run.summary();
    assertEquals(1, summary.pid(), "the JVM is pid 1 of its namespace");
    assertEquals("on", summary.feature("syscalls"), run.describe());
    assertExactWrites(summary, WRITES);
    assertEquals(1, summary.threadsNamed("main").size(), summary.threads().toString());
    // Namespace tids are small; the host's would be in the thousands on any machine that ran this.
    assertTrue(summary.threads().stream().allMatch(t -> Summary.tid(t) < 1000), summary.threads().toString());
    // The scheduler tracer follows threads by the kernel's ids and reports the namespace's. A
    // thread loses its namespace ids before its last switch-out: the writer must still be seen to
    // end, 300 ms before the JVM does, not be taken for running until the report.
    assertEquals("on", summary.feature("offcpu"), run.describe());
    JsonNode time = Summary.required(summary.onlyThread("writer"), "time");
    long wall = time.path("wallNs").asLong();
    long parts = time.path("onCpuNs").asLong() + time.path("runQueueNs").asLong() + time.path("offCpuNs").asLong();
    long ownWall = run.stdout().stream().filter(l -> l.startsWith("writer-wall-ns "))
        .mapToLong(l -> Long.parseLong(l.substring("writer-wall-ns ".length()))).findFirst().orElseThrow();
    System.out.printf("writer in a PID namespace: wall %.1f ms by the kernel, %.1f ms by its own clock%n",
        wall / 1e6, ownWall / 1e6);
    assertTrue(Math.abs(parts - wall) <= 1_000_000, "writer's time: " + time);
    assertTrue(wall > 0 && wall <= ownWall + 100_000_000L, "writer's time " + time + ", its own wall " + ownWall);
  }
}
