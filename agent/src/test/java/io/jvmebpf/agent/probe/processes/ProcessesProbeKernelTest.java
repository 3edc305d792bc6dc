package io.jvmebpf.agent.probe.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.report.ChildProcess;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * processes.bpf.c in the real kernel, through the probe: this test JVM starts /bin/true (reported
 * ended with exit code 0), a /bin/sleep it kills (signal 9, no exit code) and one it kills only
 * after the report (still running).
 */
@ExtendWith(RequiresBpf.class)
class ProcessesProbeKernelTest {
  @Test
  void anEndedChildAndARunningOne() throws Exception {
    ReportBuilder report = new ReportBuilder();
    ProcessesProbe probe = new ProcessesProbe();
    Process sleeper = null;
    try (probe; ThisJvm jvm = ThisJvm.context(new ThreadRegistry())) {
      probe.start(jvm.context());
      Process done = new ProcessBuilder("/bin/true").start();
      assertEquals(0, done.waitFor());
      Process killed = new ProcessBuilder("/bin/sleep", "31").start();
      Thread.sleep(50);
      killed.destroyForcibly().waitFor();
      sleeper = new ProcessBuilder("/bin/sleep", "30").start();
      Thread.sleep(100); // past its exec
      probe.contribute(report);
      List<ChildProcess> children = report.processes();
      System.out.println("children: " + children);
      assertEquals(3, children.size(), children.toString());

      ChildProcess ended = children.get(0);
      assertEquals(done.pid(), ended.pid());
      assertEquals(List.of("/bin/true"), ended.argv());
      assertEquals(0, ended.exitCode());
      assertNull(ended.signal());
      assertTrue(ended.cpuNs() > 0 && ended.durationNs() > 0, ended.toString());

      ChildProcess signalled = children.get(1);
      assertEquals(killed.pid(), signalled.pid());
      assertEquals(List.of("/bin/sleep", "31"), signalled.argv());
      assertNull(signalled.exitCode());
      assertEquals(9, signalled.signal());

      ChildProcess running = children.get(2);
      assertEquals(sleeper.pid(), running.pid());
      assertEquals(List.of("/bin/sleep", "30"), running.argv());
      assertNull(running.exitCode());
      assertNull(running.signal());
      assertTrue(running.durationNs() >= 100_000_000L, running.toString());
      assertEquals(0L, report.dropped().get("processes.exitEventsLost"));
      assertEquals(0L, report.dropped().get("processes.childrenMapFull"));
    } finally {
      if (sleeper != null) {
        sleeper.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void argvSplitsOnNulsAndKeepsACutLastArgument() {
    assertEquals(List.of("sh", "-c", "exit 3"), ProcessesProbe.argv("sh\0-c\0exit 3\0".getBytes()));
    assertEquals(List.of("a", "bc"), ProcessesProbe.argv("a\0bc".getBytes()));
    assertEquals(List.of(), ProcessesProbe.argv(new byte[0]));
  }

  @Test
  void redactionKeepsTheProgramOnly() {
    assertEquals(List.of("curl", "[arguments redacted]"),
        ProcessesProbe.argv(ProcessesProbe.redacted("curl\0-u\0user:secret\0".getBytes())));
    assertEquals(List.of("/bin/true"), ProcessesProbe.argv(ProcessesProbe.redacted("/bin/true\0".getBytes())));
    assertEquals(List.of("cut-progr"), ProcessesProbe.argv(ProcessesProbe.redacted("cut-progr".getBytes())));
  }
}
