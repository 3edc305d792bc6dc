package io.jvmebpf.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jvmebpf.agent.spans.SpanSummary;
import io.jvmebpf.agent.vthreads.VirtualThreadSummary;
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
            new ProcessInfo(42, "OpenJDK 64-Bit Server VM 25", "6.18", Instant.parse("2026-11-26T05:00:00Z"), 1500,
                new MemoryTimeline(Instant.parse("2026-11-26T05:00:00.250Z"), 2000, List.of(
                    new MemoryTimeline.Point(0, 50L << 20, 8L << 20, 32L << 20),
                    new MemoryTimeline.Point(2000, 60L << 20, 9L << 20, 32L << 20),
                    new MemoryTimeline.Point(2345, 61L << 20, 10L << 20, 48L << 20)))),
            new AgentInfo("1.2.3", 1_500_000_000L, features, new Overhead(10, 20, null, null, 40, 5), Map.of("syscalls.statsMapFull", 0L)),
            new CpuInfo("cpu", 10_000_000, 2, 300, 0.9, 0.25, false),
            new OffCpuInfo(10_000_000, 40, 3, 0.75),
            List.of(
                new ThreadSummary(43, "writer", 12L,
                    List.of(new SyscallSummary("write", 3, 1, 300, 200, new TreeMap<>(Map.of(64L, 2L, 128L, 1L)))),
                    new CpuSummary(300, 120, 290, 75,
                        List.of(new CpuSummary.TopFrame("app.Writer.run", "jit", 250))),
                    new TimeSummary(1000, 300, 100, 600, new TreeMap<>(Map.of("io", 500L, "futex", 100L)),
                        new TreeMap<>(Map.of(16L, 3L)), Instant.parse("2026-11-26T05:00:01Z"), null),
                    new OffCpuSummary(450, List.of(new OffCpuSummary.Stack("io", 500,
                        List.of("schedule_[k]", "java.io.FileInputStream.read")))),
                    new ThreadNetwork(1000, 20, 2, 1, 1),
                    new NativeMemory(1000, 65_536_000, 500, 32_768_000, 500, 2, 1 << 21, 1, 1 << 20, 0, 0),
                    new PageFaults(16_400, 16_500L, 0L)),
                new ThreadSummary(44, "GC Thread#0", null, List.of(), null, null, null, null, null, null)),
            List.of(
                new ChildProcess(1001, List.of("sh", "-c", "exit 3"), "launcher", 43,
                    Instant.parse("2026-11-26T05:00:00.123456789Z"), 3, null, 5_000_000, 1_000_000L),
                new ChildProcess(1002, List.of("/bin/sleep", "60"), "launcher", 43,
                    Instant.parse("2026-11-26T05:00:01Z"), null, null, 400_000_000, null)),
            List.of(new FileSummary("/tmp/data", "file", 4096, 8192, 1, 2, 1, 900, 500,
                List.of(new FileSummary.Thread(43, "writer", 4096, 8192)))),
            new NetworkInfo(10, 12, new NetworkInfo.Other(10, 100, 200, 3, 4, 0, 1)),
            List.of(
                new Connection("tcp", new Connection.Endpoint("127.0.0.1", 40000),
                    new Connection.Endpoint("127.0.0.1", 8080), "connect", 43, "writer",
                    List.of("connect", "app.Client.open"), List.of("app.Client.read"), Instant.parse("2026-11-26T05:00:01Z"), null, 1000, 20,
                    2, 1, 0, 0, 0, 35L, "established"),
                new Connection("udp", null, new Connection.Endpoint("*", 0), "datagrams", 43, "writer", List.of(), List.of(),
                    Instant.parse("2026-11-26T05:00:01Z"), Instant.parse("2026-11-26T05:00:02Z"), 64, 0, 1, 0, 0,
                    0, 0, null, null)),
            new MemoryInfo(true, 524_288, 65_536, 1200, 66_000_000, 600, 33_000_000, 700, 90, 20_000L,
                List.of(new MemoryInfo.Outstanding(43, "writer", 32_768_000, 500, Instant.parse("2026-11-26T05:00:01Z"),
                    List.of("malloc", "app.Writer.allocate")))),
            new JavaHeapInfo(300, 150_000_000, List.of(new JavaHeapInfo.ClassBytes("byte[]", 100_000_000)), 3,
                List.of(new JavaHeapInfo.Gc(2, Instant.parse("2026-11-26T05:00:01Z"), 80L << 20, 10L << 20)),
                Map.of("Thread", new JavaHeapInfo.Nmt(1L << 30, 5L << 20))),
            new SpanSummary(10, 8, 2_000_000_000L, 1_600_000_000L, 0, List.of(
                new SpanSummary.ByName("GET /cpu", 4, 800_000_000L,
                    new long[] {790_000_000L, 10_000_000L, 10_000_000L, 0, 0, 40, 400, 300, 2}),
                new SpanSummary.ByName("GET /sleep", 4, 800_000_000L,
                    new long[] {4_000_000L, 796_000_000L, 1_000_000L, 795_000_000L, 0, 60, 400, 300, 0}))),
            new VirtualThreadSummary(1500, 1499, 1000, 2403, 24_030_000_000L, 25_100_000_000L, List.of(
                new VirtualThreadSummary.Pattern("burner-#", 500, 2400, 24_000_000_000L, Map.of(), 0,
                    List.of(new VirtualThreadSummary.Carrier(51, "ForkJoinPool-1-worker-1", 1300)), List.of()),
                new VirtualThreadSummary.Pattern("sleeper-#", 500, 3, 30_000_000L,
                    Map.of("sleep", 25_100_000_000L), 500, List.of(),
                    List.of(new VirtualThreadSummary.Syscall("write", 1000, 2, 4_000_000, 90_000))))));

    Path written = new SummaryJsonWriter().write(summary, folder.resolve("nested/out"));
    assertEquals(folder.resolve("nested/out/summary.json"), written);
    assertFalse(Files.exists(folder.resolve("nested/out/summary.json.partial")));

    JsonNode json = new ObjectMapper().readTree(written.toFile());
    assertEquals(42, json.at("/process/pid").asLong());
    assertEquals(8, json.at("/spans/attributed").asLong());
    assertEquals("GET /cpu", json.at("/spans/topByOnCpu/0/name").asText());
    assertEquals(790_000_000L, json.at("/spans/topByOnCpu/0/onCpuNs").asLong());
    assertEquals("GET /sleep", json.at("/spans/topByOffCpu/0/name").asText());
    assertEquals(795_000_000L, json.at("/spans/topByOffCpu/0/sleepNs").asLong());
    assertEquals("OpenJDK 64-Bit Server VM 25", json.at("/process/jvm").asText());
    assertEquals("6.18", json.at("/process/kernel").asText());
    assertEquals("2026-11-26T05:00:00Z", json.at("/process/startedAt").asText());
    assertEquals(1500, json.at("/process/durationMs").asLong());
    assertEquals(List.of("pid", "jvm", "kernel", "startedAt", "durationMs", "memory"), fieldNames(json.get("process")));
    JsonNode memory = json.at("/process/memory");
    assertEquals(List.of("startedAt", "periodMs", "ms", "rssBytes", "heapUsedBytes", "heapCommittedBytes"),
        fieldNames(memory));
    assertEquals("2026-11-26T05:00:00.250Z", memory.get("startedAt").asText());
    assertEquals(2000, memory.get("periodMs").asLong());
    assertEquals("[0,2000,2345]", memory.get("ms").toString());
    assertEquals("[" + (50L << 20) + "," + (60L << 20) + "," + (61L << 20) + "]", memory.get("rssBytes").toString());
    assertEquals(10L << 20, memory.at("/heapUsedBytes/2").asLong());
    assertEquals(48L << 20, memory.at("/heapCommittedBytes/2").asLong());
    assertEquals("1.2.3", json.at("/agent/version").asText());
    assertEquals(1_500_000_000L, json.at("/agent/pausedNs").asLong());
    assertEquals(List.of("syscalls", "cpu"), fieldNames(json.at("/agent/features")));
    assertEquals("off: not yet", json.at("/agent/features/cpu").asText());
    assertEquals(List.of("cpuNs", "rssBytes", "bpfRunNs", "bpfRunCount", "bpfMapBytes", "startupMs"),
        fieldNames(json.at("/agent/overhead")));
    assertTrue(json.at("/agent/overhead/bpfRunNs").isNull());
    JsonNode writer = json.at("/threads/0");
    assertEquals(List.of("tid", "name", "javaThreadId", "syscalls", "cpu", "startedAt", "endedAt", "time", "offCpu",
        "network", "nativeMemory", "pageFaults"), fieldNames(writer));
    assertEquals(List.of("mallocCalls", "mallocBytes", "freeCalls", "outstandingBytes", "outstandingAllocations",
        "mmapCalls", "mmapBytes", "munmapCalls", "munmapBytes", "brkCalls", "brkBytes"),
        fieldNames(writer.get("nativeMemory")));
    assertEquals(32_768_000, writer.at("/nativeMemory/outstandingBytes").asLong());
    assertEquals(List.of("faults", "minor", "major"), fieldNames(writer.get("pageFaults")));
    assertEquals(16_500, writer.at("/pageFaults/minor").asLong());
    assertFalse(json.at("/threads/1").has("nativeMemory") || json.at("/threads/1").has("pageFaults"));
    assertEquals(List.of("native", "pageFaults", "java"), fieldNames(json.get("memory")));
    assertEquals(List.of("sampleBytes", "maxBlocks", "mallocCalls", "mallocBytes", "freeCalls", "outstandingBytes",
        "outstandingAllocations", "trackedBlocks", "topOutstanding"), fieldNames(json.at("/memory/native")));
    assertEquals(List.of("tid", "thread", "bytes", "allocations", "oldestAt", "stack"),
        fieldNames(json.at("/memory/native/topOutstanding/0")));
    assertEquals("app.Writer.allocate", json.at("/memory/native/topOutstanding/0/stack/1").asText());
    assertEquals(List.of("allocationSamples", "allocatedBytes", "topClasses", "collections", "gcs", "nmt"),
        fieldNames(json.at("/memory/java")));
    assertEquals("byte[]", json.at("/memory/java/topClasses/0/class").asText());
    assertEquals(10L << 20, json.at("/memory/java/gcs/0/heapUsedAfterBytes").asLong());
    assertEquals(5L << 20, json.at("/memory/java/nmt/Thread/committedBytes").asLong());
    assertEquals(List.of("bytesSent", "bytesReceived", "sends", "receives", "connections"),
        fieldNames(writer.get("network")));
    assertEquals(1000, writer.at("/network/bytesSent").asLong());
    assertFalse(json.at("/threads/1").has("network"));
    assertEquals("2026-11-26T05:00:01Z", writer.get("startedAt").asText());
    assertTrue(writer.get("endedAt").isNull());
    assertEquals(List.of("wallNs", "onCpuNs", "runQueueNs", "offCpuNs", "offCpuByReason", "runQueueLatencyLog2Ns"),
        fieldNames(writer.get("time")));
    assertEquals(500, writer.at("/time/offCpuByReason/io").asLong());
    assertEquals(3, writer.at("/time/runQueueLatencyLog2Ns/16").asLong());
    assertEquals("java.io.FileInputStream.read", writer.at("/offCpu/topStacks/0/frames/1").asText());
    assertEquals(List.of("minNs", "intervals", "longIntervals", "javaFrameShare"), fieldNames(json.get("offCpu")));
    assertFalse(json.at("/threads/1").has("time"));
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
    assertEquals(List.of("process", "agent", "cpu", "offCpu", "threads", "processes", "files", "network",
        "connections", "memory", "spans", "virtualThreads"), fieldNames(json));
    assertEquals(List.of("name", "threads", "cpuSamples", "cpuNs", "offCpuNs", "blocks", "carriers", "syscalls"),
        fieldNames(json.at("/virtualThreads/patterns/0")));
    assertEquals("burner-#", json.at("/virtualThreads/patterns/0/name").asText());
    assertEquals(1300, json.at("/virtualThreads/patterns/0/carriers/0/samples").asLong());
    assertEquals(25_100_000_000L, json.at("/virtualThreads/patterns/1/offCpuNs/sleep").asLong());
    assertEquals(1000, json.at("/virtualThreads/patterns/1/syscalls/0/count").asLong());
    assertEquals(List.of("mounts", "unmounts", "threads", "cpuSamples", "cpuNs", "offCpuNs", "patterns"),
        fieldNames(json.get("virtualThreads")));
    assertEquals(List.of("max", "connections", "other"), fieldNames(json.get("network")));
    assertEquals(List.of("connections", "bytesSent", "bytesReceived", "sends", "receives", "retransmits", "resets"),
        fieldNames(json.at("/network/other")));
    assertEquals(200, json.at("/network/other/bytesReceived").asLong());
    JsonNode tcp = json.at("/connections/0");
    assertEquals(List.of("protocol", "local", "remote", "origin", "tid", "thread", "stack", "javaStack", "startedAt", "endedAt",
        "bytesSent", "bytesReceived", "sends", "receives", "retransmits", "resetsSent", "resetsReceived", "srttUs",
        "state"), fieldNames(tcp));
    assertEquals("127.0.0.1", tcp.at("/remote/address").asText());
    assertEquals(8080, tcp.at("/remote/port").asInt());
    assertEquals("app.Client.open", tcp.at("/stack/1").asText());
    assertEquals("app.Client.read", tcp.at("/javaStack/0").asText());
    assertTrue(tcp.get("endedAt").isNull());
    JsonNode udp = json.at("/connections/1");
    assertTrue(udp.get("local").isNull() && udp.get("srttUs").isNull() && udp.get("state").isNull());
    assertEquals("*", udp.at("/remote/address").asText());
    JsonNode exited = json.at("/processes/0");
    assertEquals(List.of("pid", "argv", "thread", "tid", "startedAt", "exitCode", "signal", "durationNs", "cpuNs"),
        fieldNames(exited));
    assertEquals("exit 3", exited.at("/argv/2").asText());
    assertEquals("2026-11-26T05:00:00.123456789Z", exited.get("startedAt").asText());
    assertEquals(3, exited.get("exitCode").asInt());
    assertTrue(exited.get("signal").isNull());
    JsonNode running = json.at("/processes/1");
    assertTrue(running.get("exitCode").isNull() && running.get("signal").isNull() && running.get("cpuNs").isNull());
    JsonNode file = json.at("/files/0");
    assertEquals(List.of("path", "kind", "bytesRead", "bytesWritten", "reads", "writes", "fsyncs", "totalNs",
        "maxNs", "threads"), fieldNames(file));
    assertEquals(List.of("tid", "name", "bytesRead", "bytesWritten"), fieldNames(file.at("/threads/0")));
    assertEquals("writer", file.at("/threads/0/name").asText());
    assertEquals(8192, file.get("bytesWritten").asLong());
  }

  @Test
  void filesAndNetworkAreLeftOutWhenTheirProbesDidNotRun() throws Exception {
    Summary summary = new Summary(
        new ProcessInfo(1, "jvm", "6.18", Instant.EPOCH, 1, null),
        new AgentInfo("1", 0, Map.of(), new Overhead(0, 0, null, null, 0, 0), Map.of()), null, null, List.of(),
        List.of(), null, null, null, null, null, null, null);
    JsonNode json = new ObjectMapper().readTree(new SummaryJsonWriter().write(summary, folder).toFile());
    assertFalse(json.has("files"));
    assertFalse(json.has("memory"));
    assertFalse(json.get("process").has("memory"));
    assertFalse(json.has("network"));
    assertFalse(json.has("connections"));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
