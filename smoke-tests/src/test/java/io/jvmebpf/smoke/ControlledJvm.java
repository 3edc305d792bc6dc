package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code ControlledWorkload} JVM, started without the agent and without
 * {@code -XX:+EnableDynamicAgentLoading}, as most services run: the test attaches to it, tells it to
 * write, stops the agent, and attaches again. Closing it kills the JVM if it still runs.
 */
final class ControlledJvm implements AutoCloseable {
  private final Process child;
  private final BufferedReader out;
  private final OutputStream in;
  private final Path stderr;

  ControlledJvm(Path runDir) throws IOException {
    this(runDir, AgentRun.currentJava());
  }

  ControlledJvm(Path runDir, String java) throws IOException {
    this(runDir, List.of(), java);
  }

  /** @param launcher a command that execs the JVM (such as setpriv), so its pid is the JVM's */
  ControlledJvm(Path runDir, List<String> launcher, String java) throws IOException {
    this(runDir, launcher, java, List.of());
  }

  /** @param jvmFlags before the class path, such as {@code -XX:+EnableDynamicAgentLoading} */
  ControlledJvm(Path runDir, List<String> launcher, String java, List<String> jvmFlags) throws IOException {
    stderr = runDir.resolve("workload-stderr.txt");
    List<String> command = new ArrayList<>(launcher);
    command.add(java);
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", AgentRun.workloadsJar().toString(), "io.jvmebpf.workloads.ControlledWorkload"));
    child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    in = child.getOutputStream();
    assertEquals("ready", out.readLine());
  }

  long pid() {
    return child.pid();
  }

  boolean alive() {
    return child.isAlive();
  }

  /** Has the writer thread make exactly {@code writes} writes, and waits for it. */
  void write(long writes) throws IOException {
    send("write " + writes);
    assertEquals("wrote " + writes, out.readLine());
  }

  /** Ends the JVM and returns its stderr. */
  List<String> exit() throws Exception {
    send("exit");
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the workload did not end");
    assertEquals(0, child.exitValue());
    return java.nio.file.Files.readAllLines(stderr);
  }

  private void send(String line) throws IOException {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  @Override
  public void close() {
    child.destroyForcibly();
  }
}
