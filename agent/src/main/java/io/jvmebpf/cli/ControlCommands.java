package io.jvmebpf.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The commands for an agent already running in a JVM: each one round trip through {@link AgentChannel}. */
final class ControlCommands {
  private ControlCommands() {}

  @Command(name = "status", description = "Say whether the agent runs in a JVM, since when, what is on, samples and losses so far.")
  static int status(@Parameters(paramLabel = "PID") long pid) throws CliException {
    return send(pid, "status", "");
  }

  @Command(name = "pause", description = "Stop collecting: the BPF programs that take data detached, maps and counts kept.")
  static int pause(@Parameters(paramLabel = "PID") long pid) throws CliException {
    return send(pid, "pause", "");
  }

  @Command(name = "resume", description = "Collect again after a pause.")
  static int resume(@Parameters(paramLabel = "PID") long pid) throws CliException {
    return send(pid, "resume", "");
  }

  @Command(name = "dump", description = "Write the report now (default: a dump-N folder in the report folder) and keep running.")
  static int dump(@Parameters(paramLabel = "PID") long pid,
      @Parameters(paramLabel = "out=DIR", arity = "0..1", description = "where to write this report") String out)
      throws CliException {
    return send(pid, "dump", outOption(out));
  }

  @Command(name = "stop", description = "Write the report and detach: every BPF link and map closed, the agent's threads ended.")
  static int stop(@Parameters(paramLabel = "PID") long pid,
      @Parameters(paramLabel = "out=DIR", arity = "0..1", description = "where to write the report") String out)
      throws CliException {
    return send(pid, "stop", outOption(out));
  }

  private static String outOption(String out) throws CliException {
    if (out == null) {
      return "";
    }
    if (!out.startsWith("out=") || out.length() == "out=".length()) {
      throw new CliException("expected out=DIR, not '" + out + "'");
    }
    // The JVM may run in another working directory: the folder as this shell means it.
    return "out=" + Path.of(out.substring("out=".length())).toAbsolutePath();
  }

  /**
   * Without the agent's threads in the JVM there is no session to talk to: said without attaching,
   * which would load the agent's core into a JVM that never asked for it.
   */
  private static int send(long pid, String command, String options) throws CliException {
    if (TargetJvm.inspect(pid).whyNot() == null && !TargetJvm.agentRunning(Path.of("/proc", Long.toString(pid)))) {
      String notRunning = "jvm-ebpf is not running in process " + pid + " (no jvm-ebpf-* thread)";
      if (command.equals("status")) {
        System.out.println(notRunning);
        return 0;
      }
      throw new CliException(notRunning + ": attach first");
    }
    return AgentChannel.print(new AgentChannel(Main.agentJar()).send(pid, command, options), "");
  }
}
