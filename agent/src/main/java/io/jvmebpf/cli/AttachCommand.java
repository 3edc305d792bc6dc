package io.jvmebpf.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code attach PID [options]}: starts the agent in a running JVM and says what runs and what does not. */
@Command(name = "attach", description = "Load the agent into a running JVM (JDK 22+, HotSpot) and start profiling it.")
final class AttachCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the JVM's process id")
  long pid;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "OPTION",
      description = "agent options, key=value (e.g. out=/tmp/report cpu=off), as after -javaagent:jar=")
  List<String> options = List.of();

  @Override
  public Integer call() throws CliException {
    long started = System.nanoTime();
    Reply reply = new AgentChannel(Main.agentJar()).send(pid, "start", String.join(",", options));
    int code = AgentChannel.print(reply, "");
    if (reply.ok()) {
      System.out.println("attached to " + pid + " in " + (System.nanoTime() - started) / 1_000_000 + " ms; then:"
          + " jvm-ebpf status|pause|resume|dump|stop " + pid);
    }
    return code;
  }
}
