package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A workload JVM the agent is attached to while it runs, as a user attaches to a service: it
 * prints {@code waiting for input}, the test loads the agent through the Attach API, then sends a
 * line that lets the workload go on. Closing it kills the JVM if it still runs.
 */
final class AttachedRun implements AutoCloseable {
  private final Path runDir;
  private final Process child;
  private final BufferedReader out;
  private final List<String> before = new ArrayList<>();

  /** Starts {@code mainClass args} from the workloads jar and reads its stdout up to the wait. */
  AttachedRun(String prefix, String mainClass, String... args) throws IOException {
    runDir = Files.createTempDirectory(AgentRun.workloadsJar().getParent(), prefix);
    List<String> command = new ArrayList<>(List.of(AgentRun.currentJava(), "-XX:+EnableDynamicAgentLoading",
        "-cp", AgentRun.workloadsJar().toString(), mainClass));
    command.addAll(List.of(args));
    child = new ProcessBuilder(command).redirectError(runDir.resolve("stderr.txt").toFile()).start();
    out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); !"waiting for input".equals(line); line = out.readLine()) {
      assertTrue(line != null, "the workload ended before waiting for input: " + before);
      before.add(line);
    }
  }

  /** What the workload printed before it waited. */
  List<String> stdoutBefore() {
    return before;
  }

  /** Loads the agent with its report in this run's folder, then lets the workload go on. */
  void attachAndGo() throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(child.pid()));
    try {
      vm.loadAgent(AgentRun.agentJar().toString(), "out=" + runDir.resolve("report"));
    } finally {
      vm.detach();
    }
    try (OutputStream in = child.getOutputStream()) {
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The workload's next line of stdout. */
  String nextLine() throws IOException {
    return out.readLine();
  }

  /**
   * Waits for the workload to end with exit 0, checks that its stderr holds the agent's lines
   * only, and reads the report.
   */
  Summary summary() throws Exception {
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the workload did not end");
    assertEquals(0, child.exitValue());
    List<String> stderr = Files.readAllLines(runDir.resolve("stderr.txt"));
    assertTrue(stderr.stream().allMatch(l -> l.startsWith(SmokeAssertions.PREFIX)), String.join("\n", stderr));
    return new Summary(new ObjectMapper().readTree(runDir.resolve("report/summary.json").toFile()));
  }

  @Override
  public void close() {
    child.destroyForcibly();
  }
}
