package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The command-line tool as a user runs it: {@code java -jar jvm-ebpf-agent.jar ARGS}, in a process of its own. */
final class Cli {
  private Cli() {}

  /** What one command printed and returned, and how long it took from launch to exit. */
  record Result(int exitCode, List<String> stdout, List<String> stderr, long wallMs) {
    String out() {
      return String.join("\n", stdout);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + out() + "\nstderr:\n" + String.join("\n", stderr);
    }
  }

  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(AgentRun.currentJava(), "-jar", AgentRun.agentJar().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "cli-", ".out");
    Path err = Files.createTempFile(workDir, "cli-", ".err");
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "jvm-ebpf " + String.join(" ", args) + " did not end");
    long wallMs = (System.nanoTime() - started) / 1_000_000;
    return new Result(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err), wallMs);
  }
}
