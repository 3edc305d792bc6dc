package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    Path runDir = Files.createTempDirectory(AgentRun.workloadsJar().getParent(), "attach-");
    Path report = runDir.resolve("report");
    Process child = new ProcessBuilder(
            AgentRun.currentJava(), "-XX:+EnableDynamicAgentLoading",
            "-cp", AgentRun.workloadsJar().toString(), AgentRun.WRITER, Integer.toString(WRITES), "after-input")
        .redirectError(runDir.resolve("stderr.txt").toFile())
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("waiting for input", out.readLine());

      VirtualMachine vm = VirtualMachine.attach(Long.toString(child.pid()));
      try {
        vm.loadAgent(AgentRun.agentJar().toString(), "out=" + report);
      } finally {
        vm.detach();
      }
      try (OutputStream in = child.getOutputStream()) {
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
      }
      assertEquals(AgentRun.writerLine(WRITES), out.readLine());
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the workload did not end");
      assertEquals(0, child.exitValue());

      List<String> stderr = Files.readAllLines(runDir.resolve("stderr.txt"));
      assertTrue(stderr.stream().allMatch(l -> l.startsWith(SmokeAssertions.PREFIX)), String.join("\n", stderr));
      Summary summary = new Summary(new ObjectMapper().readTree(report.resolve("summary.json").toFile()));
      assertEquals("on", summary.feature("syscalls"));
      assertExactWrites(summary, WRITES);
      // Threads that were running before the agent came are named by the JVM, not cut to 15 chars.
      assertEquals(1, summary.threadsNamed("main").size(), summary.threads().toString());
    } finally {
      child.destroyForcibly();
    }
  }
}
