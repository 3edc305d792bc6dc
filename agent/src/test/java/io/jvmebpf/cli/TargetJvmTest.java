package io.jvmebpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Against this test's own JVM, which is what /proc says it is: HotSpot, the toolchain's Java. */
class TargetJvmTest {
  @Test
  void thisJvmIsAHotSpotJvmOfItsOwnVersionWithoutTheAgent() throws InterruptedException {
    // An earlier test's agent thread may have ended in Java and not yet in the kernel, which
    // still lists its task by the name it had (seen under load: no such Java thread left).
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (TargetJvm.agentRunning(java.nio.file.Path.of("/proc/self")) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    TargetJvm self = TargetJvm.inspect(ProcessHandle.current().pid());
    assertTrue(self.hotSpot(), self.toString());
    assertEquals(Runtime.version().feature(), self.javaVersion(), self.toString());
    assertFalse(self.agentRunning(), TargetJvmTest::agentTasks);
    assertNull(self.whyNot());
  }

  /** The threads named as the agent's, as the kernel and the JVM name them. */
  private static String agentTasks() {
    StringBuilder out = new StringBuilder("tasks named jvm-ebpf-*:");
    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (var task : tasks.toList()) {
        String comm = java.nio.file.Files.readString(task.resolve("comm")).strip();
        if (comm.startsWith("jvm-ebpf-")) {
          out.append(' ').append(task.getFileName()).append('=').append(comm);
        }
      }
    } catch (java.io.IOException e) {
      out.append(' ').append(e);
    }
    return out.append("; Java threads: ").append(Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName).filter(n -> n.startsWith("jvm-ebpf-")).toList()).toString();
  }

  @Test
  void aProcessThatIsNoJvmIsSaidNotToBeOne() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      Thread.sleep(100);
      assertEquals("process " + sleep.pid() + " is not a HotSpot JVM (no libjvm.so in its memory)",
          TargetJvm.inspect(sleep.pid()).whyNot());
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void aMissingProcessIsSaidToBeMissing() {
    assertEquals("there is no process 2147483647", TargetJvm.inspect(Integer.MAX_VALUE).whyNot());
  }
}
