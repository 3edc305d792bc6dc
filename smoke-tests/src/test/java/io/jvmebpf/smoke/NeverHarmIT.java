package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.PREFIX;
import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static io.jvmebpf.smoke.SmokeAssertions.assertWriterCompleted;
import static io.jvmebpf.smoke.SmokeAssertions.stderrLinesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.MachineAssumptions;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whatever goes wrong for the agent, the application runs to its end as if it were not there,
 * and the agent says why it is off in one line.
 */
class NeverHarmIT {
  private static final int WRITES = 500;
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  /** The agent's entry class is compiled for Java 8, so any older JVM still gets its line. */
  private static final int OLDEST_BOOTSTRAP_JAVA = 8;
  private static final int MIN_AGENT_JAVA = 22;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bogus=1        | unknown option 'bogus'",
      "syscalls=wrte  | 'wrte' is not a syscall",
      "bpfstats=maybe | bpfstats=maybe is not one of"})
  void aBadOptionTurnsTheAgentOffInOneLine(String options, String named) throws Exception {
    AgentRun.Result run = AgentRun.writer(WRITES).agentOptions(options).run();

    assertWriterCompleted(run, WRITES);
    String line = onlyStderrLine(run);
    assertTrue(line.startsWith(PREFIX + "off: bad options:"), line);
    assertTrue(line.contains(named), line);
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

    assertWriterCompleted(run, WRITES);
    String syscalls = run.summary().feature("syscalls");
    assertTrue(syscalls.startsWith("off: ") && syscalls.contains("CAP_BPF"), syscalls);
    List<String> cause = stderrLinesWith(run, "CAP_BPF");
    assertEquals(1, cause.size(), "lines naming the cause:\n" + String.join("\n", cause));
    // Every feature is off for the same reason: said once, not once per feature.
    String line = cause.get(0);
    assertTrue(line.startsWith(PREFIX) && line.contains(" off: the JVM lacks CAP_BPF"), line);
    assertEquals(line.indexOf("CAP_BPF and CAP_PERFMON"), line.lastIndexOf("CAP_BPF and CAP_PERFMON"), line);
    assertReportLine(run);
    assertEquals(2, run.stderr().size(), "the start line and the report line only\n" + run.describe());
  }

  @Test
  void withoutLibbpfTheAgentIsOffAndSaysWhatToInstall() throws Exception {
    // In a mount namespace of its own, the JVM finds /dev/null where libbpf.so.1 was.
    Path libbpf = installedLibbpf();
    AgentRun.Result run = AgentRun.writer(WRITES)
        .launchedThrough("unshare", "--mount", "--", "sh", "-c",
            "mount --bind /dev/null \"$0\" && exec \"$@\"", libbpf.toString())
        .run();

    assertWriterCompleted(run, WRITES);
    String syscalls = run.summary().feature("syscalls");
    assertTrue(syscalls.startsWith("off: libbpf.so.1 could not be loaded: install libbpf"), syscalls);
    List<String> cause = stderrLinesWith(run, "libbpf.so.1");
    assertEquals(1, cause.size(), run.describe());
    assertTrue(cause.get(0).startsWith(PREFIX) && cause.get(0).contains(" off: libbpf.so.1"), cause.get(0));
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

    assertWriterCompleted(run, WRITES);
    String line = onlyStderrLine(run);
    assertTrue(line.startsWith(PREFIX + "off: this JVM is Java " + old.feature() + ";"), line);
    assertTrue(line.contains("needs Java " + MIN_AGENT_JAVA + "+"), line);
    assertFalse(run.hasSummary(), "a report was written on Java " + old.feature());
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

      assertWriterCompleted(run, 5_000);
      Summary summary = run.summary();
      assertEquals("on", summary.feature("syscalls"), run.describe());
      assertExactWrites(summary, 5_000);
      assertReportLine(run);
      assertOnlyAgentLines(run);
      assertEquals(1, stderrLinesWith(run, "--illegal-native-access=deny still holds").size(),
          "the agent says it runs under the deny policy\n" + run.describe());
    }
  }

  private static String onlyStderrLine(AgentRun.Result run) {
    assertEquals(1, run.stderr().size(), "exactly one line on stderr\n" + run.describe());
    return run.stderr().get(0);
  }
}
