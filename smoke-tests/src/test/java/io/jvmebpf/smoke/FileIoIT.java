package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-file I/O table on workloads with known answers: a file written and read back by one
 * thread, counted to the byte, and a file opened before the agent was attached, named from
 * {@code /proc/self/fd}.
 */
@ExtendWith(RequiresBpf.class)
class FileIoIT {
  private static final String WORKLOAD = "io.jvmebpf.workloads.FileIoWorkload";
  private static final long MIB3 = 3 << 20;

  @Test
  void aFileWrittenAndReadBackIsCountedExactly() throws Exception {
    AgentRun.Result run = AgentRun.of(WORKLOAD).run();
    assertEquals(0, run.exitCode(), run.describe());
    assertReportLine(run);
    assertOnlyAgentLines(run);
    Summary summary = run.summary();
    assertEquals("on", summary.feature("files"), run.describe());
    JsonNode file = summary.file(printedPath(run.stdout()));
    System.out.println("FileIoIT written and read back: " + file);
    assertEquals("file", file.path("kind").asText(), file.toString());
    assertEquals(MIB3, file.path("bytesWritten").asLong(), file.toString());
    assertEquals(MIB3, file.path("bytesRead").asLong(), file.toString());
    assertEquals(768, file.path("writes").asLong(), file.toString());
    // 768 reads of 4 KiB and the one that finds the end
    assertEquals(769, file.path("reads").asLong(), file.toString());
    assertEquals(1, file.path("fsyncs").asLong(), file.toString());
    long maxNs = file.path("maxNs").asLong();
    assertTrue(maxNs > 0 && file.path("totalNs").asLong() >= maxNs, file.toString());
    JsonNode threads = Summary.required(file, "threads");
    assertEquals(1, threads.size(), file.toString());
    JsonNode filer = threads.get(0);
    assertEquals("filer", filer.path("name").asText());
    assertEquals(Summary.tid(summary.onlyThread("filer")), filer.path("tid").asLong());
    assertEquals(MIB3, filer.path("bytesRead").asLong());
    assertEquals(MIB3, filer.path("bytesWritten").asLong());
    for (String dropped : new String[] {"files.ioMapFull", "files.inflightMapFull", "files.fdMapFull", "files.pathMapFull"}) {
      assertEquals(0, summary.root().at("/agent/dropped/" + dropped).asLong(-1), dropped);
    }
  }

  @Test
  void aFileOpenedBeforeAttachIsNamedFromProc() throws Exception {
    long bytes = 100_000;
    try (AttachedRun run = new AttachedRun("attach-files-", WORKLOAD, "attach", Long.toString(bytes))) {
      assertEquals(1, run.stdoutBefore().size(), run.stdoutBefore().toString()); // the path, then the wait
      String path = printedPath(run.stdoutBefore());
      run.attachAndGo();
      assertEquals("done", run.nextLine());
      Summary summary = run.summary();
      assertEquals("on", summary.feature("files"));
      JsonNode file = summary.file(path);
      System.out.println("FileIoIT opened before attach: " + file);
      assertEquals("file", file.path("kind").asText(), file.toString());
      assertEquals(bytes, file.path("bytesWritten").asLong(), file.toString());
      assertEquals((bytes + 1023) / 1024, file.path("writes").asLong(), file.toString());
      assertEquals(0, file.path("bytesRead").asLong(), file.toString());
      assertEquals("main", file.at("/threads/0/name").asText(), file.toString());
    }
  }

  private static String printedPath(List<String> stdout) {
    return stdout.stream().filter(l -> l.startsWith("path ")).map(l -> l.substring(5)).findFirst()
        .orElseThrow(() -> new AssertionError("no 'path' line on stdout: " + stdout));
  }
}
