package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Launches one child JVM, by default with the agent and its report in a fresh folder, and waits
 * for it: {@code AgentRun.writer(5000).agentOptions("syscalls=write").run()}.
 *
 * <p>Each run gets its own folder under {@code smoke-tests/target/smoke-runs/} holding the child's
 * stdout, stderr and report, kept after the test so that a failure can be looked at by hand.
 */
final class AgentRun {
  static final String WRITER = "io.jvmebpf.workloads.WriterWorkload";
  /** A child JVM that has not exited by then is hung: the workloads take about a second. */
  private static final long TIMEOUT_SECONDS = 60;
  private long timeoutSeconds = TIMEOUT_SECONDS;

  private final String mainClass;
  private final List<String> args;
  private final List<String> launcher = new ArrayList<>();
  private final List<String> jvmFlags = new ArrayList<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<String> classPath = new ArrayList<>();
  private String java = currentJava();
  private String agentOptions = "";
  private String reportPath = "report";
  private boolean withAgent = true;
  private boolean asExtension;
  private int agentCopies = 1;

  private AgentRun(String mainClass, String... args) {
    this.mainClass = mainClass;
    this.args = List.of(args);
  }

  static AgentRun of(String mainClass, String... args) {
    return new AgentRun(mainClass, args);
  }

  /** {@code WriterWorkload n}: a thread named {@code writer} makes exactly n write(2) calls. */
  static AgentRun writer(long writes) {
    return of(WRITER, Long.toString(writes));
  }

  /** The line the writer workload prints when it completes. */
  static String writerLine(long writes) {
    return "writer made " + writes + " writes";
  }

  /** Agent options before {@code out=}, which the run always appends with its own folder. */
  AgentRun agentOptions(String options) {
    this.agentOptions = options;
    return this;
  }

  /** The report folder, relative to the run's folder; may be nested and not exist yet. */
  AgentRun reportPath(String relative) {
    this.reportPath = relative;
    return this;
  }

  /** An environment variable of the child (such as OTEL_EXPORTER_OTLP_ENDPOINT). */
  AgentRun env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** More entries on the child's class path, after the workloads jar. */
  AgentRun classPath(List<Path> entries) {
    entries.forEach(entry -> classPath.add(entry.toString()));
    return this;
  }

  AgentRun jvmFlags(String... flags) {
    jvmFlags.addAll(Arrays.asList(flags));
    return this;
  }

  /** A command that execs the JVM (such as setpriv), so the child's pid is still the JVM's. */
  AgentRun launchedThrough(String... command) {
    launcher.addAll(Arrays.asList(command));
    return this;
  }

  AgentRun java(Path javaBinary) {
    this.java = javaBinary.toString();
    return this;
  }

  /** The same {@code -javaagent:} given twice, as a launch script and JAVA_TOOL_OPTIONS might. */
  AgentRun agentTwice() {
    this.agentCopies = 2;
    return this;
  }

  /**
   * Loaded as the OpenTelemetry Java agent's extension instead of by {@code -javaagent:}: the
   * agent options become {@code -Dotel.jvm-ebpf.KEY=VALUE} properties.
   */
  AgentRun asOpenTelemetryExtension() {
    this.asExtension = true;
    return this;
  }

  /** For workloads that take longer than about a second; the default is {@value #TIMEOUT_SECONDS} s. */
  AgentRun timeoutSeconds(long seconds) {
    this.timeoutSeconds = seconds;
    return this;
  }

  AgentRun withoutAgent() {
    this.withAgent = false;
    return this;
  }

  /** The java binary of this test JVM (the toolchain's JDK 25), which the children must share. */
  static String currentJava() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  static Path agentJar() {
    return jarProperty("jvmebpf.agentJar");
  }

  static Path workloadsJar() {
    return jarProperty("jvmebpf.workloadsJar");
  }

  private static Path jarProperty(String name) {
    String value = System.getProperty(name);
    assertTrue(value != null, "system property " + name + " is not set (run through failsafe)");
    Path jar = Path.of(value).toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), name + "=" + jar + " does not exist; build the reactor first");
    return jar;
  }

  List<String> command(Path reportDir) {
    List<String> command = new ArrayList<>(launcher);
    command.add(java);
    command.addAll(jvmFlags);
    if (withAgent && asExtension) {
      command.add("-javaagent:" + otelAgentJar());
      command.add("-Dotel.javaagent.extensions=" + agentJar());
      for (String option : agentOptions.isEmpty() ? new String[0] : agentOptions.split(",")) {
        command.add("-Dotel.jvm-ebpf." + option);
      }
      command.add("-Dotel.jvm-ebpf.out=" + reportDir);
    } else if (withAgent) {
      String options = agentOptions.isEmpty() ? "" : agentOptions + ",";
      for (int i = 0; i < agentCopies; i++) {
        command.add("-javaagent:" + agentJar() + "=" + options + "out=" + reportDir);
      }
    }
    command.add("-cp");
    List<String> path = new ArrayList<>(List.of(workloadsJar().toString()));
    path.addAll(classPath);
    command.add(String.join(File.pathSeparator, path));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** Starts the child without waiting, for a process that must run alongside a test. */
  Process start() throws IOException {
    Path runDir = newRunDir();
    ProcessBuilder builder = new ProcessBuilder(command(runDir.resolve(reportPath)));
    builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_")); // only what the test sets
    builder.environment().putAll(environment);
    return builder
        .redirectOutput(runDir.resolve("stdout.txt").toFile())
        .redirectError(runDir.resolve("stderr.txt").toFile())
        .start();
  }

  /** A child started by {@link #begin()}: its process and the run's folder. */
  record Running(Process process, Path runDir, Path reportDir) {
    Path stdout() {
      return runDir.resolve("stdout.txt");
    }

    Path stderr() {
      return runDir.resolve("stderr.txt");
    }
  }

  /** Starts the child without waiting, keeping its folder: a process that serves while a test asks. */
  Running begin() throws IOException {
    Path runDir = newRunDir();
    Path reportDir = runDir.resolve(reportPath);
    List<String> command = command(reportDir);
    Files.writeString(runDir.resolve("command.txt"), String.join(" ", command) + "\n");
    Process process = new ProcessBuilder(command)
        .redirectOutput(runDir.resolve("stdout.txt").toFile())
        .redirectError(runDir.resolve("stderr.txt").toFile())
        .start();
    return new Running(process, runDir, reportDir);
  }

  static Path otelAgentJar() {
    return jarProperty("jvmebpf.otelAgentJar");
  }

  /**
   * Waits until the agent of a child started with {@code progress=FILE} (an empty file the test
   * made) has written it once: every probe has started by then.
   */
  static void untilStarted(Process jvm, Path progress) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (Files.size(progress) == 0) {
      assertTrue(jvm.isAlive() && System.nanoTime() < deadline, "the agent did not start within " + TIMEOUT_SECONDS + " s");
      Thread.sleep(100);
    }
  }

  /** Runs the child to its end, or fails the test after {@link #timeoutSeconds} s (60 by default). */
  Result run() throws IOException, InterruptedException {
    Path runDir = newRunDir();
    Path reportDir = runDir.resolve(reportPath);
    List<String> command = command(reportDir);
    Files.writeString(runDir.resolve("command.txt"), String.join(" ", command) + "\n");
    Path stdout = runDir.resolve("stdout.txt");
    Path stderr = runDir.resolve("stderr.txt");
    // To files, not pipes: a child blocked on a full pipe would look like a hung agent.
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_")); // only what the test sets
    builder.environment().putAll(environment);
    Process process = builder
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    long started = System.nanoTime();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("child JVM still running after " + timeoutSeconds + " s, killed; see " + runDir);
    }
    return new Result(
        runDir, reportDir, process.pid(), process.exitValue(), lines(stdout), lines(stderr),
        (System.nanoTime() - started) / 1_000_000);
  }

  private static Path newRunDir() throws IOException {
    Path runs = workloadsJar().getParent().resolve("smoke-runs");
    Files.createDirectories(runs);
    return Files.createTempDirectory(runs, "run-");
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  /** What a finished child left: its exit code, output lines and report folder. */
  record Result(
      Path runDir, Path reportDir, long pid, int exitCode, List<String> stdout,
      List<String> stderr, long tookMs) {
    private static final ObjectMapper JSON = new ObjectMapper();

    Path summaryFile() {
      return reportDir.resolve("summary.json");
    }

    boolean hasSummary() {
      return Files.isRegularFile(summaryFile());
    }

    /** The parsed {@code summary.json}; fails the test when the agent wrote none. */
    Summary summary() throws IOException {
      assertTrue(hasSummary(), "no summary.json in " + reportDir + "\n" + describe());
      return new Summary(JSON.readTree(summaryFile().toFile()));
    }

    /** For assertion messages: enough to see what the child did without opening the folder. */
    String describe() {
      return "exit " + exitCode + ", run folder " + runDir
          + "\n--- stdout:\n" + String.join("\n", stdout)
          + "\n--- stderr:\n" + String.join("\n", stderr);
    }
  }
}
