package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The checks several smoke tests share. */
final class SmokeAssertions {
  static final String PREFIX = "[jvm-ebpf] ";

  private SmokeAssertions() {}

  /** The agent never harms: the application ran to its end and printed its result. */
  static void assertWriterCompleted(AgentRun.Result run, long writes) {
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.stdout().contains(AgentRun.writerLine(writes)),
        "missing '" + AgentRun.writerLine(writes) + "' on stdout\n" + run.describe());
  }

  /**
   * The agent's own lines are all the child printed on stderr: no JDK warning (such as "WARNING:
   * A restricted method ... has been called"), no stack trace, nothing unprefixed.
   */
  static void assertOnlyAgentLines(AgentRun.Result run) {
    for (String line : run.stderr()) {
      assertTrue(line.startsWith(PREFIX), "stderr line without '" + PREFIX + "': " + line);
      assertFalse(line.contains("WARNING"), "warning on stderr: " + line);
    }
  }

  /** The agent's closing line; proves it ran to the report, so "only agent lines" is not vacuous. */
  static void assertReportLine(AgentRun.Result run) {
    String expected = PREFIX + "report written to " + run.summaryFile().toAbsolutePath();
    assertTrue(run.stderr().contains(expected), "missing '" + expected + "'\n" + run.describe());
  }

  /**
   * The {@code writer} thread's write(2) calls were counted exactly, and the latency figures agree
   * with the count.
   */
  static void assertExactWrites(Summary summary, long writes) {
    JsonNode writer = summary.onlyThread("writer");
    JsonNode write = Summary.syscall(writer, "write")
        .orElseThrow(() -> new AssertionError("writer has no 'write' entry: " + writer));
    assertEquals(writes, write.path("count").asLong(), "write count: " + write);
    assertEquals(0, write.path("errors").asLong(), "write errors: " + write);
    long bucketTotal = 0;
    for (JsonNode bucket : Summary.required(write, "latencyLog2Ns")) {
      bucketTotal += bucket.asLong();
    }
    assertEquals(writes, bucketTotal, "latencyLog2Ns buckets must add up to the count: " + write);
    long maxNs = Summary.required(write, "maxNs").asLong();
    assertTrue(maxNs > 0, "maxNs: " + write);
    assertTrue(Summary.required(write, "totalNs").asLong() >= maxNs, "totalNs < maxNs: " + write);
  }

  /** The stderr lines that contain {@code text}. */
  static List<String> stderrLinesWith(AgentRun.Result run, String text) {
    return run.stderr().stream().filter(line -> line.contains(text)).toList();
  }
}
