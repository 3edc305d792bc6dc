package io.jvmebpf.cli;

import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jvm-ebpf}: the agent jar's command line ({@code bin/jvm-ebpf}, or {@code java -jar
 * jvm-ebpf-agent.jar}). Each subcommand is one class; they reach a running agent through {@link
 * AgentChannel} only.
 */
@Command(
    name = "jvm-ebpf",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Profiles a JVM with eBPF from inside it: attach to a running JVM, control the agent in it,"
        + " or start a JVM with it.",
    subcommandsRepeatable = false)
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The subcommands in the order help lists them. */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new Main());
    line.addSubcommand(new ListCommand());
    line.addSubcommand(new AttachCommand());
    List<String> order = List.of("status", "pause", "resume", "dump", "stop");
    CommandLine.getCommandMethods(ControlCommands.class, null).stream()
        .sorted(Comparator.comparing((Method m) -> order.indexOf(m.getName())))
        .forEach(control -> line.addSubcommand(new CommandLine(control)));
    line.addSubcommand(new CommandLine(new RunCommand()).setUnmatchedOptionsArePositionalParams(true));
    line.addSubcommand(new DemoCommand());
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof CliException) {
        System.err.println("jvm-ebpf: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return line;
  }

  /** This jar: the agent the commands load. */
  static Path agentJar() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"jvm-ebpf " + (version == null ? "(unknown version)" : version)};
    }
  }
}
