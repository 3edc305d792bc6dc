package io.jvmebpf.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The field names of summary.json are a contract with its readers: this pins them. */
class SummaryJsonWriterTest {
  @TempDir Path folder;

  @Test
  void writesTheContractedShape() throws Exception {
    Map<String, String> features = new LinkedHashMap<>();
    features.put("syscalls", "on");
    features.put("cpu", "off: not yet");
    Summary summary =
        new Summary(
            new ProcessInfo(42, "OpenJDK 64-Bit Server VM 25", "6.18", Instant.parse("2026-11-26T05:00:00Z"), 1500),
            new AgentInfo("1.2.3", features, new Overhead(10, 20, null, null, 40, 5), Map.of("syscalls.statsMapFull", 0L)),
            new CpuInfo("cpu", 10_000_000, 2, 300, 0.9, 0.25, false),
            List.of(
                new ThreadSummary(43, "writer", 12L,
                    List.of(new SyscallSummary("write", 3, 1, 300, 200, new TreeMap<>(Map.of(64L, 2L, 128L, 1L)))),
                    new CpuSummary(300, 120, 290, 75,
                        List.of(new CpuSummary.TopFrame("app.Writer.run", "jit", 250)))),
                new ThreadSummary(44, "GC Thread#0", null, List.of(), null)));

    Path written = new SummaryJsonWriter().write(summary, folder.resolve("nested/out"));
    assertEquals(folder.resolve("nested/out/summary.json"), written);
    assertFalse(Files.exists(folder.resolve("nested/out/summary.json.partial")));

    JsonNode json = new ObjectMapper().readTree(written.toFile());
    assertEquals(42, json.at("/process/pid").asLong());
    assertEquals("OpenJDK 64-Bit Server VM 25", json.at("/process/jvm").asText());
    assertEquals("6.18", json.at("/process/kernel").asText());
    assertEquals("2026-11-26T05:00:00Z", json.at("/process/startedAt").asText());
    assertEquals(1500, json.at("/process/durationMs").asLong());
    assertEquals("1.2.3", json.at("/agent/version").asText());
    assertEquals(List.of("syscalls", "cpu"), fieldNames(json.at("/agent/features")));
    assertEquals("off: not yet", json.at("/agent/features/cpu").asText());
    assertEquals(List.of("cpuNs", "rssBytes", "bpfRunNs", "bpfRunCount", "bpfMapBytes", "startupMs"),
        fieldNames(json.at("/agent/overhead")));
    assertTrue(json.at("/agent/overhead/bpfRunNs").isNull());
    JsonNode writer = json.at("/threads/0");
    assertEquals(List.of("tid", "name", "javaThreadId", "syscalls", "cpu"), fieldNames(writer));
    assertEquals(List.of("samples", "kernelSamples", "javaSamples", "joinedSamples", "topFrames"),
        fieldNames(writer.get("cpu")));
    assertEquals("app.Writer.run", writer.at("/cpu/topFrames/0/name").asText());
    assertEquals(250, writer.at("/cpu/topFrames/0/samples").asLong());
    assertEquals(List.of("event", "intervalNs", "rateHz", "cpusSampled", "samples", "javaFrameShare",
        "joinedShare", "preserveFramePointer"), fieldNames(json.get("cpu")));
    assertEquals(100.0, json.at("/cpu/rateHz").asDouble());
    assertFalse(json.at("/threads/1").has("cpu"));
    assertEquals(12, writer.get("javaThreadId").asLong());
    JsonNode write = writer.at("/syscalls/0");
    assertEquals(List.of("name", "count", "errors", "totalNs", "maxNs", "latencyLog2Ns"), fieldNames(write));
    assertEquals(2, write.at("/latencyLog2Ns/64").asLong());
    assertTrue(json.at("/threads/1/javaThreadId").isNull());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
