package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertWriterCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the report and the agent's lines go; the report is written with or without BPF. */
class ReportOnExitIT {
  private static final int WRITES = 500;

  @Test
  void logNoneSilencesTheAgent() throws Exception {
    AgentRun.Result run = AgentRun.writer(WRITES).agentOptions("log=none").run();

    assertWriterCompleted(run, WRITES);
    // The report proves the agent ran, so the empty stderr is its silence, not its absence.
    assertEquals(run.pid(), run.summary().pid());
    assertEquals(List.of(), run.stderr());
  }

  @Test
  void outCreatesMissingFolders() throws Exception {
    AgentRun.Result run = AgentRun.writer(WRITES).reportPath("not/yet/there").run();

    assertWriterCompleted(run, WRITES);
    assertTrue(run.reportDir().endsWith("not/yet/there"), run.reportDir().toString());
    assertTrue(run.hasSummary(), "no " + run.summaryFile() + "\n" + run.describe());
    assertEquals(run.pid(), run.summary().pid());
    // Written atomically: the temporary file is gone.
    assertFalse(Files.exists(run.reportDir().resolve("summary.json.partial")));
  }
}
