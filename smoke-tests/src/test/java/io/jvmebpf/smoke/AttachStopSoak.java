package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.jvmebpf.bpf.testing.MachineAssumptions;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attach/stop soak ({@code -Psoak}, not in CI): one JVM under load (ControlledWorkload's
 * spinner burns a CPU throughout), the agent started and stopped through the Attach API as the
 * command-line tool does it, {@code soak.cycles} times (1000) or for {@code soak.minutes} (10),
 * whichever ends first. After every stop: no BPF or perf fd in the JVM, none of the programs and
 * links it held in bpftool's lists, no {@code jvm-ebpf-*} thread; the JVM's fd count back to what
 * it was after the first cycle, and its RSS within {@value #RSS_GROWTH_BOUND_MB} MB of it. Each
 * cycle's figures go to {@code target/soak/attach-stop.csv}, the summary to
 * {@code target/soak/attach-stop.txt}. {@code -Dsoak.options=...} adds agent options (to find
 * which feature a growth comes with).
 */
@ExtendWith(RequiresBpf.class)
class AttachStopSoak {
  /**
   * Not a leak of the agent's but glibc's: each session's threads malloc (libbpf loading objects,
   * the demangler, the JVM compiling the agent's code) in whichever of up to 8 arenas per CPU they
   * land in, and an arena keeps what it once held; the agent trims them at each stop
   * (malloc_trim), yet their footprint climbs for tens of cycles before it levels. With
   * MALLOC_ARENA_MAX=1 the same soak's RSS is flat (+3 MB over 25 cycles). The code cache grows
   * too (+10 MB over 25 cycles, NMT) as the agent's code gets compiled, up to its own bound.
   */
  private static final long RSS_GROWTH_BOUND_MB = 128;

  @Test
  void attachAndStopOverAndOver() throws Exception {
    MachineAssumptions.assume(BpfResidue.bpftool("version") != null, "bpftool is not installed (apt-get install bpftool)");
    int cycles = Integer.getInteger("soak.cycles", 1000);
    String options = System.getProperty("soak.options", "").isEmpty() ? "" : System.getProperty("soak.options") + ",";
    long deadline = System.nanoTime() + Long.getLong("soak.minutes", 10) * 60_000_000_000L;
    Path runDir = Files.createDirectories(AgentRun.workloadsJar().getParent().resolve("soak"));
    Path report = runDir.resolve("attach-stop-report");
    List<String> csv = new ArrayList<>(List.of("cycle,startMs,stopMs,fds,rssKb,programs,links,maps"));
    try (ControlledJvm jvm = new ControlledJvm(runDir, List.of(), AgentRun.currentJava(),
        // The heap resident from the start: RSS then moves with native memory only, where a leak
        // of the agent's (maps' memory, arenas, threads' stacks) would show; the heap is checked
        // apart, after a full GC, at the start and the end.
        List.of("-XX:+EnableDynamicAgentLoading", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"))) {
      long pid = jvm.pid();
      long fdsBefore = fds(pid);
      long rssBefore = rssKb(pid);
      long heapBefore = heapUsedAfterGcKb(pid);
      long fdsAfterFirst = -1;
      long rssAfterFirst = -1;
      long maxRss = 0;
      int done = 0;
      long started = System.nanoTime();
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        while (done < cycles && System.nanoTime() < deadline) {
          long t0 = System.nanoTime();
          assertEquals("ok", send(vm, options + "out=" + report).getFirst());
          long startMs = (System.nanoTime() - t0) / 1_000_000;
          Set<String> progs = BpfResidue.kernelIds(pid, "prog_id");
          Set<String> links = BpfResidue.kernelIds(pid, "link_id");
          Set<String> maps = BpfResidue.kernelIds(pid, "map_id");
          assertFalse(progs.isEmpty() || links.isEmpty(), "cycle " + done + ": nothing attached");
          assertFalse(BpfResidue.agentThreads(pid).isEmpty(), "cycle " + done + ": no agent thread");

          long t1 = System.nanoTime();
          List<String> stop = send(vm, "command=stop");
          long stopMs = (System.nanoTime() - t1) / 1_000_000;
          assertEquals("ok", stop.getFirst(), "cycle " + done + ": " + stop);
          assertEquals(List.of(), BpfResidue.bpfFds(pid), "cycle " + done + ": BPF or perf fds left");
          assertEquals(List.of(), BpfResidue.agentThreads(pid), "cycle " + done + ": agent threads left");
          assertTrue(BpfResidue.untilGone(progs, "prog"), "cycle " + done + ": programs left of " + progs);
          assertTrue(BpfResidue.untilGone(links, "link"), "cycle " + done + ": links left of " + links);
          assertTrue(BpfResidue.untilGone(maps, "map"), "cycle " + done + ": maps left of " + maps);
          long fds = fds(pid);
          long rss = rssKb(pid);
          if (done == 0) {
            fdsAfterFirst = fds;
            rssAfterFirst = rss;
          }
          maxRss = Math.max(maxRss, rss);
          csv.add(done + "," + startMs + "," + stopMs + "," + fds + "," + rss + "," + progs.size() + ","
              + links.size() + "," + maps.size());
          assertEquals(fdsAfterFirst, fds, "cycle " + done + ": the JVM's fds after stop");
          assertTrue(rss - rssAfterFirst <= RSS_GROWTH_BOUND_MB * 1024,
              "cycle " + done + ": RSS " + rss + " KB, after the first cycle " + rssAfterFirst + " KB");
          done++;
        }
      } finally {
        vm.detach();
        Files.write(runDir.resolve("attach-stop.csv"), csv, StandardCharsets.UTF_8);
      }
      jvm.write(100); // the JVM runs on
      long heapAfter = heapUsedAfterGcKb(pid);
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      String summary = String.format(
          "%d attach/stop cycles in %d s (%.1f s each) against one JVM under load; after every stop 0 BPF"
              + " programs, links, maps and perf fds of the agent left, 0 agent threads; fds: %d before the first"
              + " attach, %d after every stop (the core's jar and the JIT helper's memfd, kept for the JVM's life);"
              + " RSS: %d KB before, %d KB after the first cycle, %d KB after the last, %d KB at most (%+d KB over"
              + " %d cycles after the first, %.1f KB per cycle); heap used after a full GC: %d KB before, %d KB after",
          done, seconds, seconds / (double) Math.max(1, done), fdsBefore, fdsAfterFirst, rssBefore, rssAfterFirst,
          rss(csv), maxRss, rss(csv) - rssAfterFirst, done - 1,
          (rss(csv) - rssAfterFirst) / (double) Math.max(1, done - 1), heapBefore, heapAfter);
      Files.writeString(runDir.resolve("attach-stop.txt"), summary + "\n");
      System.out.println("AttachStopSoak: " + summary);
      assertTrue(done >= 1, "no cycle ran");
    }
  }

  /** Loads the agent with {@code options} and a reply file, as the tool does; returns the reply's lines. */
  private static List<String> send(VirtualMachine vm, String options) throws Exception {
    Path reply = Files.createTempFile("jvm-ebpf-soak-reply-", ".txt",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      vm.loadAgent(AgentRun.agentJar().toString(), options + ",reply=" + reply);
      return Files.readAllLines(reply);
    } finally {
      Files.deleteIfExists(reply);
    }
  }

  private static long rss(List<String> csv) {
    String[] last = csv.getLast().split(",");
    return Long.parseLong(last[4]);
  }

  /** {@code jcmd PID GC.run}, then the heap's {@code used} from {@code GC.heap_info}. */
  private static long heapUsedAfterGcKb(long pid) throws Exception {
    Path jcmd = Path.of(AgentRun.currentJava()).resolveSibling("jcmd");
    jcmdOutput(jcmd, pid, "GC.run");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(jcmdOutput(jcmd, pid, "GC.heap_info"));
    assertTrue(used.find(), "no 'used' in GC.heap_info");
    return Long.parseLong(used.group(1));
  }

  private static String jcmdOutput(Path jcmd, long pid, String command) throws Exception {
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd " + command + ": " + out);
    return out;
  }

  private static long fds(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.count();
    }
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }
}
