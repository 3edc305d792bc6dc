package io.jvmebpf.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code run [options] -- java ...}: starts a JVM with the agent and the flags that help it, as
 * {@code perf record -- cmd} does, and waits for it. {@code java} itself stands for the JDK 22+
 * this tool runs on.
 */
@Command(name = "run", description = "Start a JVM with the agent (and -XX:+PreserveFramePointer) and wait for it: run [OPTION...] -- java ARGS...")
final class RunCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "ARG",
      description = "agent options key=value, then the command: java and its arguments")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws CliException {
    List<String> options = new ArrayList<>();
    int at = 0;
    while (at < args.size() && args.get(at).matches("[a-z][a-z.]*=.*")) {
      options.add(args.get(at++));
    }
    if (at == args.size()) {
      throw new CliException("no command to run: jvm-ebpf run [OPTION...] -- java ARGS...");
    }
    return run(options, args.subList(at, args.size()));
  }

  /** Runs {@code command} (java first) under the agent; returns its exit code. */
  static int run(List<String> options, List<String> command) throws CliException {
    Path agent = Main.agentJar();
    String java = command.getFirst().equals("java")
        ? ProcessHandle.current().info().command().orElse("java")
        : command.getFirst();
    try (Progress progress = Progress.start()) {
      List<String> agentOptions = new ArrayList<>(options);
      if (progress != null) {
        agentOptions.add(progress.agentOption());
      }
      List<String> full = new ArrayList<>();
      full.add(java);
      // Frame pointers in JIT code let the kernel walk whole Java stacks; each control command
      // (pause, dump...) loads the agent again, which without the flag the JVM warns of every time.
      full.add("-XX:+PreserveFramePointer");
      full.add("-XX:+EnableDynamicAgentLoading");
      full.add("-javaagent:" + agent + (agentOptions.isEmpty() ? "" : "=" + String.join(",", agentOptions)));
      full.addAll(command.subList(1, command.size()));
      System.err.println("jvm-ebpf: " + String.join(" ", full));
      Process child;
      try {
        child = new ProcessBuilder(full).inheritIO().start();
      } catch (java.io.IOException e) {
        throw new CliException("cannot start " + java + ": " + e.getMessage());
      }
      return child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
