package io.jvmebpf.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code demo}: the bundled sample workload (threads that write, read, sleep and spin) under the
 * agent, its report in {@code ./jvm-ebpf-report}: the README's first command.
 */
@Command(name = "demo", description = "Run the bundled sample workload under the agent and say where the report is.")
final class DemoCommand implements Callable<Integer> {
  /** Set by bin/jvm-ebpf; else beside the agent jar as the build lays them out. */
  static final String WORKLOADS_PROPERTY = "jvmebpf.workloads";

  @Parameters(arity = "0..*", paramLabel = "OPTION", description = "agent options, key=value")
  List<String> options = new ArrayList<>();

  @Override
  public Integer call() throws CliException {
    Path workloads = workloads();
    if (!Files.isRegularFile(workloads)) {
      throw new CliException("the demo workload " + workloads + " is missing: build it with ./mvnw -DskipTests package");
    }
    Path out = Path.of("jvm-ebpf-report").toAbsolutePath();
    List<String> all = new ArrayList<>();
    all.add("out=" + out);
    all.addAll(options);
    int code = RunCommand.run(all, List.of("java", "-jar", workloads.toString()));
    System.out.println("jvm-ebpf: the report is in " + out + "/:");
    System.out.println("  report.html    open it in a browser: threads, flame graphs, syscalls, files, processes, connections,"
        + " memory");
    System.out.println("  summary.json   the same figures as data (each thread's syscalls, CPU samples, where its time went)");
    System.out.println("  cpu.html, offcpu.html, *.collapsed, *.pb.gz   the CPU and off-CPU profiles for other tools");
    System.out.println("  alloc.html, faults.html (and native-alloc.html with nativemem=on)   where memory went, by stack");
    System.out.println("  look for the threads writer (2,000 writes), reader (2,000 reads), sleeper (20 x 20 ms), spinner,"
        + " and fetcher and server (one connection: 1 MiB one way, 100 KiB back)");
    return code;
  }

  private static Path workloads() {
    String set = System.getProperty(WORKLOADS_PROPERTY);
    if (set != null) {
      return Path.of(set);
    }
    // agent/target/jvm-ebpf-agent.jar -> smoke-tests/target/jvm-ebpf-workloads.jar
    return Main.agentJar().getParent().getParent().getParent()
        .resolve("smoke-tests/target/jvm-ebpf-workloads.jar");
  }
}
