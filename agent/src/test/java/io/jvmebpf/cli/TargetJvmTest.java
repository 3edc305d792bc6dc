package io.jvmebpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Against this test's own JVM, which is what /proc says it is: HotSpot, the toolchain's Java. */
class TargetJvmTest {
  @Test
  void thisJvmIsAHotSpotJvmOfItsOwnVersionWithoutTheAgent() {
    TargetJvm self = TargetJvm.inspect(ProcessHandle.current().pid());
    assertTrue(self.hotSpot(), self.toString());
    assertEquals(Runtime.version().feature(), self.javaVersion(), self.toString());
    assertFalse(self.agentRunning());
    assertNull(self.whyNot());
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
