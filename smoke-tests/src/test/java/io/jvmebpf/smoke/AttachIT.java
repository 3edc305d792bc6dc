package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.bpf.testing.RequiresBpf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent loaded into a running JVM through the Attach API (its {@code Agent-Class}): once
 * {@code loadAgent} returns, the probes are attached, and the writes made after count exactly.
 */
@ExtendWith(RequiresBpf.class)
class AttachIT {
  private static final int WRITES = 3_000;

  @Test
  void attachedToARunningJvmItCountsWhatFollows() throws Exception {
    try (AttachedRun run = new AttachedRun("attach-", AgentRun.WRITER, Integer.toString(WRITES), "after-input")) {
      run.attachAndGo();
      assertEquals(AgentRun.writerLine(WRITES), run.nextLine());
      Summary summary = run.summary();
      assertEquals("on", summary.feature("syscalls"));
      assertExactWrites(summary, WRITES);
      // Threads that were running before the agent came are named by the JVM, not cut to 15 chars.
      assertEquals(1, summary.threadsNamed("main").size(), summary.threads().toString());
    }
  }
}
