package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.PREFIX;
import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static io.jvmebpf.smoke.SmokeAssertions.stderrLinesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.jvmebpf.bpf.testing.MachineAssumptions;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fault matrix: whatever goes wrong for the agent, the application runs to its end as if it
 * were not there. Each case is a real JVM launched with the agent and the fault, and shares one
 * assertion ({@link #assertUnharmed}): the application's normal output and exit code, no stack
 * trace on its stderr, every line there the agent's, and exactly one of them naming the cause and
 * the fix. Each case's line is appended to {@code target/fault-matrix.txt} for
 * {@code docs/reliability.md}.
 */
class FaultMatrixIT {
  private static final int WRITES = 500;
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  /** The agent's entry class is compiled for Java 8, so any older JVM still gets its line. */
  private static final int OLDEST_BOOTSTRAP_JAVA = 8;
  private static final int MIN_AGENT_JAVA = 22;
  /** A line of a Java stack trace, or of the JVM's report of an uncaught exception. */
  private static final Pattern STACK_TRACE =
      Pattern.compile("^\\s+at [\\w$.<>/]+\\(|^Caused by: |^Exception in thread |^\\s+\\.\\.\\. \\d+ more");

  /** What the application does without the agent: its exit code and one line of its stdout. */
  record App(int exitCode, Pattern line) {
    static App writer(long writes) {
      return new App(0, Pattern.compile(Pattern.quote(AgentRun.writerLine(writes))));
    }
  }

  /**
   * The application ran as it would have without the agent; its stderr holds the agent's lines
   * only, no stack trace; exactly one line names the cause (it holds {@code cause}) and the fix
   * (it holds {@code fix}). Returns that line.
   */
  static String assertUnharmed(String fault, AgentRun.Result run, App app, String cause, String fix) throws IOException {
    assertEquals(app.exitCode(), run.exitCode(), "exit code\n" + run.describe());
    assertTrue(run.stdout().stream().anyMatch(l -> app.line().matcher(l).matches()),
        "the application's line " + app.line() + " is missing\n" + run.describe());
    for (String line : run.stderr()) {
      assertFalse(STACK_TRACE.matcher(line).find(), "a stack trace on stderr: " + line + "\n" + run.describe());
      assertTrue(line.startsWith(PREFIX), "a line on stderr not the agent's: " + line + "\n" + run.describe());
    }
    List<String> naming = stderrLinesWith(run, cause);
    assertEquals(1, naming.size(), "lines naming '" + cause + "'\n" + run.describe());
    String line = naming.get(0);
    assertTrue(line.contains(fix), "the line naming the cause does not say '" + fix + "': " + line);
    record(fault, line);
    return line;
  }

  @BeforeAll
  static void forgetTheLastRunsLines() throws IOException {
    Files.deleteIfExists(matrixFile());
  }

  private static Path matrixFile() {
    return AgentRun.workloadsJar().getParent().resolve("fault-matrix.txt");
  }

  /** For docs/reliability.md: the case and its line, in target/fault-matrix.txt. */
  private static void record(String fault, String line) throws IOException {
    Files.writeString(matrixFile(), fault + " | " + line + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println("FaultMatrixIT: " + fault + " | " + line);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown option | bogus=1        | unknown option 'bogus'",
      "bad value      | syscalls=wrte  | 'wrte' is not a syscall",
      "bad value      | bpfstats=maybe | bpfstats=maybe is not one of"})
  void aBadOptionTurnsTheAgentOffInOneLine(String fault, String options, String named) throws Exception {
    AgentRun.Result run = AgentRun.writer(WRITES).agentOptions(options).run();

    // The line lists what is valid: the fix.
    String line = assertUnharmed(fault + " (" + options + ")", run, App.writer(WRITES), named, "off: bad options:");
    assertEquals(List.of(line), run.stderr());
    assertFalse(run.hasSummary(), "a report was written with bad options: " + run.summaryFile());
  }

  @Test
  void withoutCapabilitiesTheAgentIsOffAndSaysWhyOnce() throws Exception {
    assertTrue(Files.isExecutable(SETPRIV), SETPRIV + " (util-linux) is needed to drop capabilities");
    // Removing them from the bounding set drops CAP_SYS_ADMIN (21), CAP_PERFMON (38) and CAP_BPF
    // (39) from the effective set of the JVM that setpriv execs, even when run as root.
    AgentRun.Result run = AgentRun.writer(WRITES)
        .launchedThrough(SETPRIV.toString(), "--bounding-set=-bpf,-perfmon,-sys_admin", "--")
        .run();

    String line = assertUnharmed("no CAP_BPF/CAP_PERFMON (setpriv)", run, App.writer(WRITES),
        "the JVM lacks CAP_BPF", "setcap cap_bpf,cap_perfmon+ep");
    String syscalls = run.summary().feature("syscalls");
    assertTrue(syscalls.startsWith("off: ") && syscalls.contains("CAP_BPF"), syscalls);
    // Every feature is off for the same reason: said once, not once per feature.
    assertEquals(line.indexOf("CAP_BPF and CAP_PERFMON"), line.lastIndexOf("CAP_BPF and CAP_PERFMON"), line);
    assertReportLine(run);
    assertEquals(2, run.stderr().size(), "the start line and the report line only\n" + run.describe());
  }

  @Test
  void withoutLibbpfTheAgentIsOffAndSaysWhatToInstall() throws Exception {
    // In a mount namespace of its own, the JVM finds /dev/null where libbpf.so.1 was.
    AgentRun.Result run = AgentRun.writer(WRITES)
        .launchedThrough(inMountNamespace("mount --bind /dev/null " + installedLibbpf()))
        .run();

    assertUnharmed("libbpf missing", run, App.writer(WRITES), "libbpf.so.1 could not be loaded", "install libbpf");
    assertTrue(run.summary().feature("syscalls").startsWith("off: libbpf.so.1 could not be loaded"), run.describe());
    assertReportLine(run);
    assertEquals(2, run.stderr().size(), "the start line and the report line only\n" + run.describe());
  }

  @Test
  void withoutKernelBtfTheAgentIsOffAndSaysWhichKernelItNeeds() throws Exception {
    // An empty tmpfs over /sys/kernel/btf: the JVM sees a kernel that exposes no BTF.
    AgentRun.Result run = AgentRun.writer(WRITES)
        .launchedThrough(inMountNamespace("mount -t tmpfs none /sys/kernel/btf"))
        .run();

    assertUnharmed("BTF missing", run, App.writer(WRITES), "exposes no BTF", "CONFIG_DEBUG_INFO_BTF=y");
    assertTrue(run.summary().feature("syscalls").contains("no BTF"), run.describe());
    assertReportLine(run);
    assertEquals(2, run.stderr().size(), "the start line and the report line only\n" + run.describe());
  }

  /** Where the dynamic linker finds libbpf.so.1 on this machine, from its cache. */
  private static Path installedLibbpf() throws Exception {
    Process ldconfig = new ProcessBuilder("ldconfig", "-p").start();
    String cache = new String(ldconfig.getInputStream().readAllBytes());
    ldconfig.waitFor();
    String line = cache.lines().filter(l -> l.strip().startsWith("libbpf.so.1 ")).findFirst()
        .orElseThrow(() -> new AssertionError("libbpf.so.1 is not in the linker cache"));
    return Path.of(line.substring(line.indexOf("=> ") + 3).strip()).toRealPath();
  }

  @Test
  void onAnOldJavaTheAgentIsOffAndTheApplicationRuns() throws Exception {
    Jdks.Java old = Jdks.find(OLDEST_BOOTSTRAP_JAVA, MIN_AGENT_JAVA).orElse(null);
    if (old == null) {
      MachineAssumptions.skip("no Java " + OLDEST_BOOTSTRAP_JAVA + " to " + (MIN_AGENT_JAVA - 1)
          + " in /usr/lib/jvm or on PATH");
    }
    AgentRun.Result run = AgentRun.writer(WRITES).java(old.binary()).run();

    String line = assertUnharmed("JDK " + old.feature(), run, App.writer(WRITES),
        "off: this JVM is Java " + old.feature() + ";", "run the application on JDK " + MIN_AGENT_JAVA + " or newer");
    assertEquals(List.of(line), run.stderr());
    assertFalse(run.hasSummary(), "a report was written on Java " + old.feature());
  }

  /**
   * A launcher that runs {@code script} in a mount namespace of its own (mounts made private:
   * nothing reaches the host) and then execs the JVM, so the child's pid is still the JVM's. The
   * script may use {@code $REPORT}, the report folder the run gives the agent ({@code out=}, the
   * last option of the {@code -javaagent:} argument).
   */
  static String[] inMountNamespace(String script) {
    return new String[] {"unshare", "--mount", "--", "sh", "-c",
        "for a; do case \"$a\" in -javaagent:*) REPORT=\"${a##*out=}\";; esac; done; "
            + script + " && exec \"$@\"", "sh"};
  }

  /** The cases where the agent must run, not just turn itself off. */
  @Nested
  @ExtendWith(RequiresBpf.class)
  class WithBpf {
    @Test
    void aDenyNativeAccessPolicyDoesNotStopTheAgent() throws Exception {
      // The agent grants native access to its own module only, which --illegal-native-access=deny
      // (aimed at the unnamed module, i.e. the application) must not prevent, nor warn about.
      AgentRun.Result run = AgentRun.writer(5_000).jvmFlags("--illegal-native-access=deny").run();

      assertUnharmed("--illegal-native-access=deny", run, App.writer(5_000),
          "--illegal-native-access=deny still holds", "native access granted to jvm-ebpf's own module only");
      Summary summary = run.summary();
      assertEquals("on", summary.feature("syscalls"), run.describe());
      assertExactWrites(summary, 5_000);
      assertReportLine(run);
    }

    /**
     * The CPU probe attaches a perf event to every CPU the kernel lists online; in a mount
     * namespace where that list names CPUs 64-65, which do not exist, every perf_event_open fails,
     * so that probe alone is off while the others count as usual.
     */
    @Test
    void aProbeThatFailsToAttachIsOffWhileTheOthersRun() throws Exception {
      AgentRun.Result run = AgentRun.writer(WRITES)
          .launchedThrough(inMountNamespace("echo 64-65 > \"$REPORT.online\""
              + " && mount --bind \"$REPORT.online\" /sys/devices/system/cpu/online"))
          .run();

      assertUnharmed("a probe fails to attach (cpu: perf events on CPUs that do not exist)", run, App.writer(WRITES),
          "cpu off: opening perf event", "cpu=off skips it");
      Summary summary = run.summary();
      assertTrue(summary.feature("cpu").startsWith("off: opening perf event"), run.describe());
      for (String on : List.of("threads", "syscalls", "offcpu", "processes", "files", "net")) {
        assertEquals("on", summary.feature(on), on + "\n" + run.describe());
      }
      assertExactWrites(summary, WRITES);
      assertReportLine(run);
    }

    @Test
    void aFullMapIsCountedAndNamedWithItsOption() throws Exception {
      // One (thread, syscall) pair: the JVM's first pair takes it, every other pair's calls overflow.
      AgentRun.Result run = AgentRun.writer(WRITES).agentOptions("syscalls.max=1").run();

      assertUnharmed("BPF map full (syscalls.max=1)", run, App.writer(WRITES), "syscalls.statsMapFull=", "raise syscalls.max");
      long dropped = run.summary().dropped("syscalls.statsMapFull");
      assertTrue(dropped >= WRITES - 1, "syscalls.statsMapFull " + dropped + "\n" + run.describe());
      assertReportLine(run);
    }

    @Test
    void anOverrunRingIsCountedAndNamedWithItsOption() throws Exception {
      // With offcpu.min=0 every block is an event: a ping-pong of two threads blocks ~100,000
      // times a second, more than the off-CPU ring and its reader take.
      AgentRun.Result run = AgentRun.of("io.jvmebpf.workloads.PingPongLoop", "200000", "0.5")
          .agentOptions("offcpu.min=0,cpu=off").run();

      assertUnharmed("ring buffer overrun (offcpu.min=0, ping-pong)", run, new App(0, Pattern.compile("ns/op=.*")),
          "offcpu.intervalEventsLost=", "raise offcpu.min");
      assertTrue(run.summary().dropped("offcpu.intervalEventsLost") > 0, run.describe());
      assertReportLine(run);
    }

    @Test
    void aReportFolderThatCannotBeWrittenIsOneLine() throws Exception {
      AgentRun.Result run = AgentRun.writer(WRITES)
          .launchedThrough(inMountNamespace("mkdir -p \"$REPORT\" && mount -t tmpfs -o ro none \"$REPORT\""))
          .run();

      assertUnharmed("report folder not writable (read-only mount)", run, App.writer(WRITES),
          "could not write the report", "make the folder writable");
      assertTrue(stderrLinesWith(run, "Read-only file system").size() == 1, run.describe());
    }

    @Test
    void aDiskThatFillsWhileWritingIsOneLineAndLeavesNoPartialFile() throws Exception {
      // 160 KiB: about summary.json's size, so the disk fills on it or on the files after it. The
      // JVM runs as a child of the namespace's shell, which lists the tmpfs once it has exited
      // (the tmpfs goes with the namespace) into a file beside it.
      String[] launcher = inMountNamespace("mkdir -p \"$REPORT\" && mount -t tmpfs -o size=160k none \"$REPORT\"");
      launcher[5] = launcher[5].replace("exec \"$@\"", "{ \"$@\"; code=$?; ls -A \"$REPORT\" > \"$REPORT.left\"; exit $code; }");
      AgentRun.Result run = AgentRun.writer(WRITES).launchedThrough(launcher).run();

      assertUnharmed("disk full while writing (160 KiB tmpfs)", run, App.writer(WRITES),
          "No space left on device", "free space on that file system");
      List<String> left = Files.readAllLines(Path.of(run.reportDir() + ".left"));
      assertTrue(left.stream().noneMatch(f -> f.endsWith(".partial")), "partial files left: " + left);
    }

    @Test
    void theAgentGivenTwiceRunsOnceAndSaysSo() throws Exception {
      AgentRun.Result run = AgentRun.writer(WRITES).agentTwice().run();

      assertUnharmed("the agent given twice", run, App.writer(WRITES), "second -javaagent", "give the agent once");
      assertEquals(1, stderrLinesWith(run, "started in").size(), run.describe());
      assertExactWrites(run.summary(), WRITES);
      assertReportLine(run);
    }

    @Test
    void anExitAsTheApplicationStartsWritesTheReportAndKeepsTheExitCode() throws Exception {
      AgentRun.Result run = AgentRun.of("io.jvmebpf.workloads.ExitAtOnceWorkload").run();

      // No fault of the agent's to name: the line that must be there is the report's.
      assertUnharmed("System.exit while the agent starts", run, new App(3, Pattern.compile("exiting with 3")),
          "report written to", "summary.json");
      assertEquals(2, run.stderr().size(), "the start line and the report line only\n" + run.describe());
    }

    /**
     * The application exits while the agent it is being attached to starts (its probes loading on
     * the Attach Listener thread, 0.5-3 s): the JVM exits with the application's code, neither
     * hung by the agent's start nor by its shutdown hook, and says nothing but the agent's lines.
     */
    @Test
    void anExitWhileTheAgentIsAttachingKeepsTheExitCode() throws Exception {
      Path runDir = Files.createTempDirectory(AgentRun.workloadsJar().getParent(), "exit-while-attaching-");
      Path stderr = runDir.resolve("stderr.txt");
      Process app = new ProcessBuilder(AgentRun.currentJava(), "-XX:+EnableDynamicAgentLoading",
          "-cp", AgentRun.workloadsJar().toString(), "io.jvmebpf.workloads.ExitAtOnceWorkload", "after-input")
          .redirectError(stderr.toFile()).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("waiting for input", out.readLine());
        Thread attach = Thread.ofPlatform().start(() -> {
          try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
            vm.loadAgent(AgentRun.agentJar().toString(), "out=" + runDir.resolve("report"));
            vm.detach();
          } catch (Exception e) {
            // The JVM may exit before loadAgent returns: that is the case under test.
          }
        });
        // The session's first thread (its memory sampler) runs: the probes are loading now.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (BpfResidue.agentThreads(app.pid()).isEmpty()) {
          assertTrue(System.nanoTime() < deadline, "the agent's session never started");
          Thread.sleep(5);
        }
        app.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        app.getOutputStream().flush();
        assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the JVM did not exit within a minute");
        attach.join(60_000);
        assertEquals(3, app.exitValue());
        assertEquals("exiting with 3", out.readLine());
        for (String line : Files.readAllLines(stderr)) {
          assertFalse(STACK_TRACE.matcher(line).find(), "a stack trace on stderr: " + line);
          assertTrue(line.startsWith(PREFIX), "a line on stderr not the agent's: " + line);
        }
        record("System.exit while the agent is attaching", "exit code 3 in " + Files.readAllLines(stderr).size()
            + " agent lines: " + String.join(" / ", Files.readAllLines(stderr)));
      } finally {
        app.destroyForcibly();
      }
    }

    /**
     * SIGKILL gives the agent no chance to detach: the kernel must free its programs, links and
     * maps with the process's fds. Their ids, read from the JVM's fdinfo once the agent runs, are
     * then gone from bpftool's lists.
     */
    @Test
    void aJvmKilledMidRunLeavesNoBpfObject() throws Exception {
      MachineAssumptions.assume(BpfResidue.bpftool("version") != null, "bpftool is not installed (apt-get install bpftool)");
      Path progress = Files.createTempFile(AgentRun.workloadsJar().getParent(), "sigkill-progress-", ".txt");
      Process jvm = AgentRun.writer(-1).agentOptions("progress=" + progress).start();
      try {
        AgentRun.untilStarted(jvm, progress);
        long pid = jvm.pid();
        Set<String> progs = BpfResidue.kernelIds(pid, "prog_id");
        Set<String> links = BpfResidue.kernelIds(pid, "link_id");
        Set<String> maps = BpfResidue.kernelIds(pid, "map_id");
        assertFalse(progs.isEmpty() || links.isEmpty() || maps.isEmpty(), "progs " + progs + " links " + links + " maps " + maps);

        jvm.destroyForcibly(); // SIGKILL
        assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the JVM did not die of SIGKILL");
        assertEquals(137, jvm.exitValue());
        assertTrue(BpfResidue.untilGone(progs, "prog"), "programs left: " + progs);
        assertTrue(BpfResidue.untilGone(links, "link"), "links left: " + links);
        assertTrue(BpfResidue.untilGone(maps, "map"), "maps left: " + maps);
        record("SIGKILL mid-run", progs.size() + " programs, " + links.size() + " links, " + maps.size()
            + " maps held by the JVM; none left in bpftool's lists after SIGKILL");
      } finally {
        jvm.destroyForcibly();
        Files.deleteIfExists(progress);
      }
    }
  }
}
