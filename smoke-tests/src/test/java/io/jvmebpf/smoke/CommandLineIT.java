package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jvmebpf.bpf.testing.MachineAssumptions;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The command-line tool against a running JVM, as a user drives it: attach, status, pause and
 * resume, dump, stop, attach again. After stop, the kernel holds none of the agent's BPF programs
 * or links (their ids, read from the JVM's fdinfo while attached, are gone from {@code bpftool
 * prog/link list}), the JVM holds no BPF fd and no {@code jvm-ebpf-*} thread, and it runs on.
 * Attach-to-first-sample and stop times are written to {@code target/command-line-it/timings.txt}.
 */
@ExtendWith(RequiresBpf.class)
class CommandLineIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void attachStopAndAttachAgain() throws Exception {
    MachineAssumptions.assume(BpfResidue.bpftool("version") != null, "bpftool is not installed (apt-get install bpftool)");
    Path runDir = Files.createDirectories(AgentRun.workloadsJar().getParent().resolve("command-line-it"));
    List<String> timings = new ArrayList<>();
    try (ControlledJvm jvm = new ControlledJvm(runDir)) {
      long pid = jvm.pid();
      Cli.Result list = Cli.run(runDir, "list");
      assertTrue(list.out().lines().anyMatch(l -> l.startsWith(pid + " ") && l.contains("ControlledWorkload")), list.toString());

      // 1. Attach; the tool says what the JVM printed without -XX:+EnableDynamicAgentLoading.
      Path report = runDir.resolve("report");
      long attachStarted = System.nanoTime();
      Cli.Result attach = Cli.run(runDir, "attach", Long.toString(pid), "out=" + report);
      assertEquals(0, attach.exitCode(), attach.toString());
      assertTrue(attach.out().contains("syscalls, cpu, offcpu"), attach.toString());
      assertTrue(attach.out().contains("WARNING: A Java agent has been loaded dynamically"), attach.toString());
      long firstSampleMs = untilFirstSample(runDir, pid, attachStarted);
      timings.add("attach command (a new JVM for the tool, attach, probes loaded): " + attach.wallMs() + " ms;"
          + " in the JVM: " + attach.stdout().getFirst().replaceAll(".* (started in \\d+ ms).*", "$1"));
      timings.add("attach to first CPU sample seen by status: " + firstSampleMs + " ms");
      assertFalse(BpfResidue.agentThreads(pid).isEmpty(), "no jvm-ebpf-* thread while attached");
      jvm.write(1_000);

      // 2. Pause: the kernel counts no more, though the programs that see ends stay attached;
      // resume: it counts again, with as many links and perf events as before (none twice, none lost).
      Map<String, Long> attached = linkAndPerfFds(pid);
      assertTrue(attached.get("bpf_link") > 0 && attached.get("perf_event") > 0, "links and perf events: " + attached);
      assertEquals(0, Cli.run(runDir, "pause", Long.toString(pid)).exitCode());
      Map<String, Long> paused = linkAndPerfFds(pid);
      assertEquals(0L, paused.get("perf_event"), "perf events open while paused: " + paused);
      assertTrue(paused.get("bpf_link") > 0 && paused.get("bpf_link") < attached.get("bpf_link"),
          "while paused only the links of programs that see ends stay: " + paused + ", attached " + attached);
      long pausedSamples = samples(Cli.run(runDir, "status", Long.toString(pid)));
      jvm.write(77); // not counted: paused
      Thread.sleep(500);
      Cli.Result stillPaused = Cli.run(runDir, "status", Long.toString(pid));
      assertTrue(stillPaused.out().startsWith("paused"), stillPaused.toString());
      assertEquals(pausedSamples, samples(stillPaused), "samples counted while paused: " + stillPaused);
      Cli.Result resume = Cli.run(runDir, "resume", Long.toString(pid));
      assertEquals(0, resume.exitCode(), resume.toString());
      assertEquals(attached, linkAndPerfFds(pid), "links and perf events after pause and resume");

      // 3. Stop: the report, then nothing of the agent left in the JVM or the kernel (the ids
      // taken now: the pause destroyed the links it detached).
      Set<String> progs = BpfResidue.kernelIds(pid, "prog_id");
      Set<String> links = BpfResidue.kernelIds(pid, "link_id");
      assertFalse(progs.isEmpty(), "no BPF program fd in the JVM while attached");
      assertFalse(links.isEmpty(), "no BPF link fd in the JVM while attached");
      long stopStarted = System.nanoTime();
      Cli.Result stop = Cli.run(runDir, "stop", Long.toString(pid));
      assertEquals(0, stop.exitCode(), stop.toString());
      assertTrue(stop.out().contains("the agent's threads ended"), stop.toString());
      timings.add("stop command (a new JVM for the tool, report written, everything detached): " + stop.wallMs() + " ms;"
          + " in the JVM: " + stop.out().replaceAll("(?s).*(detached in \\d+ ms).*", "$1"));
      assertExactWrites(summary(report), 1_000);
      assertTrue(Files.isRegularFile(report.resolve("report.html")), "no report.html");
      assertEquals(List.of(), BpfResidue.bpfFds(pid), "BPF or perf fds left in the JVM");
      assertTrue(BpfResidue.untilGone(progs, "prog"), "BPF programs left in the kernel: " + progs + " in " + BpfResidue.bpftool("-j", "prog", "show"));
      assertTrue(BpfResidue.untilGone(links, "link"), "BPF links left in the kernel: " + links + " in " + BpfResidue.bpftool("-j", "link", "show"));
      timings.add("stop command start to every program and link gone from the kernel: "
          + (System.nanoTime() - stopStarted) / 1_000_000 + " ms");
      assertEquals(List.of(), BpfResidue.agentThreads(pid), "agent threads left after stop");
      assertTrue(jvm.alive());
      jvm.write(10); // the JVM runs on
      Cli.Result idle = Cli.run(runDir, "status", Long.toString(pid));
      assertTrue(idle.out().contains("not running"), idle.toString());

      // 4. Attach again; dump keeps it running; stop again.
      Path again = runDir.resolve("again");
      long reattachStarted = System.nanoTime();
      Cli.Result reattach = Cli.run(runDir, "attach", Long.toString(pid), "out=" + again);
      assertEquals(0, reattach.exitCode(), reattach.toString());
      timings.add("attach again (core already loaded): " + reattach.wallMs() + " ms; to first sample: "
          + untilFirstSample(runDir, pid, reattachStarted) + " ms");
      jvm.write(500);
      Cli.Result dump = Cli.run(runDir, "dump", Long.toString(pid));
      assertEquals(0, dump.exitCode(), dump.toString());
      assertExactWrites(summary(again.resolve("dump-1")), 500);
      assertTrue(Files.isRegularFile(again.resolve("dump-1/report.html")));
      assertFalse(BpfResidue.agentThreads(pid).isEmpty(), "dump must keep the agent running");
      jvm.write(300);
      assertEquals(0, Cli.run(runDir, "stop", Long.toString(pid)).exitCode());
      assertExactWrites(summary(again), 300);
      assertEquals(List.of(), BpfResidue.bpfFds(pid), "BPF or perf fds left in the JVM after the second stop");

      List<String> stderr = jvm.exit();
      for (String line : stderr) {
        assertTrue(line.startsWith(SmokeAssertions.PREFIX) || line.startsWith("WARNING: "), "stderr: " + line);
      }
    } finally {
      Files.write(runDir.resolve("timings.txt"), timings, StandardCharsets.UTF_8);
      timings.forEach(t -> System.out.println("CommandLineIT: " + t));
    }
  }

  @Test
  void aJvmOlderThan22IsRefusedWithTheReasonAndRunsOn() throws Exception {
    Jdks.Java old = Jdks.find(8, 22).orElse(null);
    if (old == null) {
      MachineAssumptions.skip("no Java older than 22 in /usr/lib/jvm or on PATH");
    }
    Path runDir = Files.createDirectories(AgentRun.workloadsJar().getParent().resolve("command-line-it-old"));
    try (ControlledJvm jvm = new ControlledJvm(runDir, old.binary().toString())) {
      Cli.Result attach = Cli.run(runDir, "attach", Long.toString(jvm.pid()));
      assertEquals(1, attach.exitCode(), attach.toString());
      assertTrue(String.join("\n", attach.stderr()).contains("runs Java " + old.feature() + ";")
          && String.join("\n", attach.stderr()).contains("needs Java 22+"), attach.toString());
      jvm.write(10);
      assertEquals(List.of(), jvm.exit(), "the old JVM's stderr");
    }
  }

  /**
   * A JVM without the capabilities BPF needs: each attach starts a session that runs no probe, to
   * report why at exit. Attached three times, it writes one report at exit, not three.
   */
  @Test
  void failedAttachesLeaveOneReportAtExit() throws Exception {
    Path setpriv = Path.of("/usr/bin/setpriv");
    assertTrue(Files.isExecutable(setpriv), setpriv + " (util-linux) is needed to drop capabilities");
    Path runDir = Files.createDirectories(AgentRun.workloadsJar().getParent().resolve("command-line-it-nocaps"));
    Path report = runDir.resolve("report");
    try (ControlledJvm jvm = new ControlledJvm(runDir,
        List.of(setpriv.toString(), "--bounding-set=-bpf,-perfmon,-sys_admin", "--"), AgentRun.currentJava())) {
      for (int i = 0; i < 3; i++) {
        Cli.Result attach = Cli.run(runDir, "attach", Long.toString(jvm.pid()), "out=" + report);
        assertTrue(String.join("\n", attach.stderr()).contains("CAP_BPF"), attach.toString());
      }
      jvm.write(10);
      List<String> stderr = jvm.exit();
      // Three hooks would write the same folder at once: one report line, the others failing.
      assertEquals(1, stderr.stream().filter(l -> l.contains("report written to") || l.contains("the report")).count(),
          "report lines at exit:\n" + String.join("\n", stderr));
      assertTrue(Files.isRegularFile(report.resolve("summary.json")));
    }
  }

  /** The JVM's fds of BPF links and of perf events, counted. */
  private static Map<String, Long> linkAndPerfFds(long pid) throws Exception {
    Map<String, Long> counts = new TreeMap<>(Map.of("bpf_link", 0L, "perf_event", 0L));
    for (String fd : BpfResidue.bpfFds(pid)) {
      counts.keySet().stream().filter(fd::contains).forEach(kind -> counts.merge(kind, 1L, Long::sum));
    }
    return counts;
  }

  /** Polls status (the tool, as a user would) until the agent has counted a CPU sample. */
  private static long untilFirstSample(Path runDir, long pid, long since) throws Exception {
    for (int i = 0; i < 60; i++) {
      if (samples(Cli.run(runDir, "status", Long.toString(pid))) > 0) {
        return (System.nanoTime() - since) / 1_000_000;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no CPU sample counted within a minute of attaching");
  }

  private static long samples(Cli.Result status) {
    assertEquals(0, status.exitCode(), status.toString());
    return status.stdout().stream().filter(l -> l.startsWith("samples: "))
        .mapToLong(l -> Long.parseLong(l.substring("samples: ".length()))).findFirst()
        .orElseThrow(() -> new AssertionError("no samples line: " + status));
  }

  private static Summary summary(Path folder) throws Exception {
    return new Summary(JSON.readTree(folder.resolve("summary.json").toFile()));
  }
}
