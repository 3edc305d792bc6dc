package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static io.jvmebpf.smoke.SmokeAssertions.assertWriterCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code syscalls=write,read}: only those two are traced, and the filter costs no precision. */
@ExtendWith(RequiresBpf.class)
class SyscallFilterIT {
  private static final int WRITES = 5_000;

  @Test
  void onlyTheListedSyscallsAreReported() throws Exception {
    // "read" is a bare word after syscalls=, so it continues the list rather than being an error.
    AgentRun.Result run = AgentRun.writer(WRITES).agentOptions("syscalls=write,read").run();

    assertWriterCompleted(run, WRITES);
    Summary summary = run.summary();
    assertEquals("on", summary.feature("syscalls"), run.describe());
    for (JsonNode thread : summary.threads()) {
      for (JsonNode syscall : Summary.syscalls(thread)) {
        assertTrue(Set.of("write", "read").contains(syscall.path("name").asText()),
            "not in the filter: " + syscall.path("name") + " of thread " + thread.path("name"));
      }
    }
    assertExactWrites(summary, WRITES);
  }
}
