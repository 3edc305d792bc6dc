package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import io.jvmebpf.smoke.otlp.MetricPoints;
import io.jvmebpf.smoke.otlp.OtlpReceiver;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent alone ({@code -javaagent:}) exporting metrics to a real OTLP/HTTP receiver, configured
 * the OpenTelemetry way (OTEL_* variables) or with its own {@code otlp=} option: a thread named
 * {@code writer-17} makes exactly 5,000 writes, which the last export of {@code
 * jvm_ebpf.syscall.count} for {@code thread.name=writer-N} states exactly. Without an endpoint, no
 * request and no connection.
 */
@ExtendWith(RequiresBpf.class)
class OtlpMetricsIT {
  private static final int WRITES = 5_000;
  private static final Map<String, String> WRITER_WRITES = Map.of("thread.name", "writer-N", "jvm_ebpf.syscall", "write");

  private static AgentRun writer() {
    return AgentRun.of("io.jvmebpf.workloads.NamedWriterWorkload", Integer.toString(WRITES), "writer-17", "2500");
  }

  @Test
  void exportsTheExactWritesOfANamedThreadWithTheProcessFigures() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      AgentRun.Result run = writer()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
          .env("OTEL_METRIC_EXPORT_INTERVAL", "1000")
          .env("OTEL_SERVICE_NAME", "otlp-metrics-it")
          .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test,team=a%20b")
          .env("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=secret%3D1")
          .run();
      assertEquals(0, run.exitCode(), run.describe());
      assertTrue(run.stdout().contains("writer-17 made " + WRITES + " writes"), run.describe());
      assertReportLine(run);
      assertOnlyAgentLines(run);
      assertTrue(otlp.rejected().isEmpty(), otlp.rejected().toString());
      assertTrue(otlp.headerLines().stream().allMatch(h -> h.contains("X-api-key=[secret=1]")), otlp.headerLines().toString());
      assertTrue(otlp.headerLines().stream().allMatch(h -> h.contains("Content-encoding=[gzip]")), otlp.headerLines().toString());

      MetricPoints points = MetricPoints.of(otlp.metrics());
      System.out.println("OtlpMetricsIT thread.name values: " + points.points().stream()
          .map(p -> p.attribute("thread.name")).filter(java.util.Objects::nonNull).distinct().sorted().toList());
      System.out.println("OtlpMetricsIT metrics: " + points.points().stream().map(MetricPoints.Point::metric)
          .distinct().sorted().toList() + ", " + otlp.metrics().size() + " requests");
      List<MetricPoints.Point> writes = points.named("jvm_ebpf.syscall.count", WRITER_WRITES);
      assertEquals(WRITES, points.last("jvm_ebpf.syscall.count", WRITER_WRITES), 0, "writer-N writes in "
          + writes + "\nreceived: " + otlp.metricNames() + "\n" + run.describe());
      // Periodic exports while the JVM ran, and the last one at its end: counters never above N.
      assertTrue(writes.size() >= 2, "exports with writer-N's writes: " + writes.size());
      writes.forEach(p -> assertTrue(p.value() <= WRITES && p.monotonic(), p.toString()));
      assertEquals("{call}", writes.get(0).unit());
      assertTrue(points.named("jvm_ebpf.syscall.count", Map.of("thread.name", "writer-17")).isEmpty(),
          "thread names are normalised");

      Map<String, String> resource = writes.get(0).resource();
      assertEquals("otlp-metrics-it", resource.get("service.name"), resource.toString());
      assertEquals("test", resource.get("deployment.environment.name"), resource.toString());
      assertEquals("a b", resource.get("team"), resource.toString());
      assertEquals(Long.toString(run.pid()), resource.get("process.pid"), resource.toString());
      assertTrue(resource.containsKey("host.name") && resource.containsKey("process.runtime.version"), resource.toString());

      assertTrue(points.last("process.cpu.time", Map.of("cpu.mode", "user")) > 0, points.named("process.cpu.time").toString());
      assertTrue(points.last("process.cpu.time", Map.of("cpu.mode", "system")) >= 0);
      assertTrue(points.last("process.paging.faults", Map.of("process.paging.fault_type", "minor")) > 0);
      assertTrue(points.last("process.thread.count", Map.of()) > 5);
      assertTrue(points.last("process.memory.usage", Map.of()) > 10_000_000);
      assertTrue(points.last("jvm_ebpf.cpu.time", Map.of("thread.name", "writer-N")) > 0,
          points.named("jvm_ebpf.cpu.time").toString());
      assertTrue(points.last("process.network.io", Map.of("network.io.direction", "transmit")) > 0,
          "the export's own requests are the process's network traffic: " + points.named("process.network.io"));

      // The agent's own export shows in its report: a connection to the receiver from its thread.
      // The test below holds that there is none without an endpoint.
      List<JsonNode> toReceiver = connectionsTo(run, otlp.port());
      assertFalse(toReceiver.isEmpty(), "no connection to the receiver in the report");
      toReceiver.forEach(c -> assertTrue(c.toString().contains("jvm-ebpf-otlp"), c.toString()));
    }
  }

  @Test
  void withoutAnEndpointNothingIsSentAndNoConnectionMade() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      AgentRun.Result run = writer().env("OTEL_SERVICE_NAME", "not-exporting").run();
      assertEquals(0, run.exitCode(), run.describe());
      assertReportLine(run);
      assertOnlyAgentLines(run);
      assertEquals(0, otlp.requests());
      assertTrue(connectionsTo(run, otlp.port()).isEmpty());
      assertTrue(agentConnections(run).isEmpty(), agentConnections(run).toString());
      assertFalse(run.summary().threads().stream().anyMatch(t -> t.path("name").asText().startsWith("jvm-ebpf-otlp")));
    }
  }

  @Test
  void theOptionWinsOverTheEnvironment() throws Exception {
    try (OtlpReceiver env = OtlpReceiver.start(); OtlpReceiver option = OtlpReceiver.start()) {
      AgentRun.Result off = writer().env("OTEL_EXPORTER_OTLP_ENDPOINT", env.endpoint()).agentOptions("otlp=off").run();
      assertEquals(0, off.exitCode(), off.describe());
      assertEquals(0, env.requests());

      AgentRun.Result elsewhere = writer().env("OTEL_EXPORTER_OTLP_ENDPOINT", env.endpoint())
          .agentOptions("otlp=" + option.endpoint() + ",otlp.threads=raw,offcpu=off").run();
      assertEquals(0, elsewhere.exitCode(), elsewhere.describe());
      assertEquals(0, env.requests());
      MetricPoints points = MetricPoints.of(option.metrics());
      assertEquals(WRITES, points.last("jvm_ebpf.syscall.count", Map.of("thread.name", "writer-17", "jvm_ebpf.syscall", "write")),
          0, option.metricNames().toString());
      // Without offcpu, CPU is the profile's samples: the JVM's start alone takes hundreds.
      assertTrue(points.named("jvm_ebpf.cpu.time").isEmpty());
      double samples = points.named("jvm_ebpf.cpu.samples").stream().filter(p -> p.request() == option.metrics().size() - 1)
          .mapToDouble(MetricPoints.Point::value).sum();
      assertTrue(samples > 10, "samples in the last export: " + samples + ", " + points.named("jvm_ebpf.cpu.samples"));
    }
  }

  /**
   * {@code mallocer} mallocs 64 KiB 1,000 times and frees half (see NativeMemoryWorkload); every
   * block followed ({@code nativemem.sample=0}). The last export, made after the report, holds the
   * report's own figures for it.
   */
  @Test
  void nativeMemoryAndPageFaultsAsTheReportHasThem() throws Exception {
    long block = 65_536;
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      AgentRun.Result run = AgentRun.of("io.jvmebpf.workloads.NativeMemoryWorkload")
          .jvmFlags("-Xmx64m", "--enable-native-access=ALL-UNNAMED")
          .agentOptions("nativemem=on,nativemem.sample=0,otlp=" + otlp.endpoint())
          .run();
      assertEquals(0, run.exitCode(), run.describe());
      assertOnlyAgentLines(run);
      JsonNode mallocer = run.summary().onlyThread("mallocer").get("nativeMemory");
      MetricPoints points = MetricPoints.of(otlp.metrics());
      Map<String, String> thread = Map.of("thread.name", "mallocer");
      String figures = "report " + mallocer + ", exported " + points.points().stream()
          .filter(p -> "mallocer".equals(p.attribute("thread.name")) && p.metric().startsWith("jvm_ebpf.native")).toList();
      System.out.println("OtlpMetricsIT native memory: " + figures);
      assertEquals(mallocer.get("mallocCalls").asLong(), points.last("jvm_ebpf.native_memory.allocations", thread), 0, figures);
      assertEquals(mallocer.get("mallocBytes").asLong(), points.last("jvm_ebpf.native_memory.allocated", thread), 0, figures);
      assertEquals(mallocer.get("freeCalls").asLong(), points.last("jvm_ebpf.native_memory.frees", thread), 0, figures);
      // The JVM's own small blocks allocated on that thread may be freed between the report and
      // the last export (one run: 8,436 of 32,808,592 bytes); the workload's 500 blocks stay.
      assertEquals(mallocer.get("outstandingBytes").asLong(), points.last("jvm_ebpf.native_memory.outstanding", thread),
          block / 2, figures);
      assertTrue(points.last("jvm_ebpf.native_memory.outstanding", thread) >= 500 * block, figures);
      assertTrue(points.last("jvm_ebpf.native_memory.allocations", thread) >= 1000, figures);
      assertTrue(points.last("jvm_ebpf.paging.faults", Map.of("thread.name", "toucher")) >= 16_384,
          points.named("jvm_ebpf.paging.faults").toString());
    }
  }

  @Test
  void anUnreachableCollectorIsOneLineAndTheApplicationRunsOn() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    AgentRun.Result run = writer()
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort)
        .env("OTEL_METRIC_EXPORT_INTERVAL", "1000")
        .run();
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.stdout().contains("writer-17 made " + WRITES + " writes"), run.describe());
    assertReportLine(run);
    assertOnlyAgentLines(run);
    List<String> failures = run.stderr().stream().filter(l -> l.contains("OTLP export")).toList();
    assertEquals(1, failures.size(), run.describe());
    assertTrue(failures.get(0).contains("127.0.0.1:" + closedPort), failures.get(0));
  }

  static List<JsonNode> connectionsTo(AgentRun.Result run, int port) throws Exception {
    return connections(run).stream().filter(c -> c.at("/remote/port").asInt() == port).toList();
  }

  private static List<JsonNode> agentConnections(AgentRun.Result run) throws Exception {
    return connections(run).stream().filter(c -> c.toString().contains("jvm-ebpf-")).toList();
  }

  private static List<JsonNode> connections(AgentRun.Result run) throws Exception {
    JsonNode all = run.summary().root().path("connections");
    return new ArrayList<>(StreamSupport.stream(all.spliterator(), false).toList());
  }

}
