package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code process.memory} against a known allocation: {@code OffHeapWorkload} touches 200 MiB of a
 * direct buffer at an instant it prints; the resident memory of the first sample after it exceeds
 * that of the last sample before it by at least 150 MiB (room for what the rest of the JVM gives
 * back meanwhile), and the heap, capped at 64 MiB, cannot hold it.
 */
class ProcessMemoryIT {
  private static final long MIB = 1024 * 1024;

  @Test
  void theResidentMemoryRisesByTheDirectBufferTouchedMidRun() throws Exception {
    AgentRun.Result run = AgentRun.of("io.jvmebpf.workloads.OffHeapWorkload")
        .jvmFlags("-Xmx64m", "-XX:MaxDirectMemorySize=256m")
        .run();
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.stdout().contains("held 200 MiB, last byte 0"), run.describe());

    JsonNode memory = run.summary().root().at("/process/memory");
    assertTrue(memory.isObject(), "no process.memory: " + run.summary().root().get("process"));
    Instant startedAt = Instant.parse(memory.get("startedAt").asText());
    long allocating = Duration.between(startedAt, printed(run, "allocating ")).toMillis();
    long touched = Duration.between(startedAt, printed(run, "touched ")).toMillis();
    JsonNode ms = memory.get("ms");
    JsonNode rss = memory.get("rssBytes");
    JsonNode heapUsed = memory.get("heapUsedBytes");
    int before = -1;
    int after = -1;
    for (int i = 0; i < ms.size(); i++) {
      if (ms.get(i).asLong() < allocating) {
        before = i;
      } else if (ms.get(i).asLong() > touched && after < 0) {
        after = i;
      }
    }
    String figures = "allocating at " + allocating + " ms, touched at " + touched + " ms; ms " + ms + ", rss MiB "
        + mib(rss) + ", heap used MiB " + mib(heapUsed);
    System.out.println("ProcessMemoryIT: " + figures);
    assertTrue(before >= 0 && after > before, "no samples both sides of the allocation: " + figures);
    long rise = rss.get(after).asLong() - rss.get(before).asLong();
    assertTrue(rise >= 150 * MIB, "resident memory rose " + rise / MIB + " MiB across the 200 MiB buffer: " + figures);
    assertTrue(heapUsed.get(after).asLong() < 64 * MIB, "the heap holds it? " + figures);
    assertEquals(1000, memory.get("periodMs").asLong(), "a run of seconds needs no halving");
  }

  private static Instant printed(AgentRun.Result run, String prefix) {
    return run.stdout().stream().filter(line -> line.startsWith(prefix)).findFirst()
        .map(line -> Instant.parse(line.substring(prefix.length())))
        .orElseThrow(() -> new AssertionError("no line '" + prefix + "...': " + run.describe()));
  }

  private static String mib(JsonNode bytes) {
    StringBuilder list = new StringBuilder("[");
    bytes.forEach(b -> list.append(list.length() > 1 ? "," : "").append(b.asLong() / MIB));
    return list.append("]").toString();
  }
}
