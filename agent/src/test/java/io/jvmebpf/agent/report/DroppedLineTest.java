package io.jvmebpf.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DroppedLineTest {
  @Test
  void nothingLostIsNoLine() {
    assertEquals(Optional.empty(), DroppedLine.of(Map.of("syscalls.statsMapFull", 0L, "offcpu.switchesOutOfOrder", 14L)));
  }

  @Test
  void everyLossIsNamedWithTheOptionThatMakesRoom() {
    String line = DroppedLine.of(Map.of(
        "syscalls.statsMapFull", 12L, "files.ioMapFull", 3L, "cpu.cpusWentOffline", 1L)).orElseThrow();
    assertEquals("some events did not fit the agent's bounded maps and buffers and were counted, not kept"
        + " (agent.dropped in summary.json): files.ioMapFull=3, syscalls.statsMapFull=12 (raise syscalls.max)", line);
  }
}
