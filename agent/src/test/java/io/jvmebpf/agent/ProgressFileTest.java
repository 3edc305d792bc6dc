package io.jvmebpf.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.probe.LiveCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressFileTest {
  private static final AgentLog QUIET = new AgentLog("none", false);

  @Test
  void theFileHoldsTheCountsAsStatusWritesThemAndTheThreadEndsAtClose(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("progress.txt"));
    AtomicLong samples = new AtomicLong(7);
    try (ProgressFile progress = ProgressFile.start(file, () -> new LiveCounts(samples.get(), 2), QUIET)) {
      assertEquals("samples: 7\nlost: 2\n", until(file, "samples: 7"));
      samples.set(12);
      assertEquals("samples: 12\nlost: 2\n", until(file, "samples: 12"));
    }
    assertEquals(0, AgentThreads.stillAlive(Duration.ofSeconds(2)).stream()
        .filter(name -> name.equals("jvm-ebpf-progress")).count(), "the progress thread outlived close");
  }

  @Test
  void aFileTheToolDeletedIsNotMadeAgainAndTheThreadEnds(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gone.txt");
    try (ProgressFile progress = ProgressFile.start(file, () -> LiveCounts.NONE, QUIET)) {
      assertTrue(AgentThreads.stillAlive(Duration.ofSeconds(2)).stream()
          .noneMatch(name -> name.equals("jvm-ebpf-progress")), "the thread runs on without its file");
      assertFalse(Files.exists(file));
    }
  }

  private static String until(Path file, String content) throws Exception {
    for (int i = 0; i < 50; i++) {
      String text = Files.readString(file);
      if (text.contains(content)) {
        return text;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the file never held " + content + ": " + Files.readString(file));
  }
}
