package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jvmebpf.bpf.testing.MachineAssumptions;
import io.jvmebpf.bpf.testing.RequiresBpf;
import io.jvmebpf.smoke.otlp.MetricPoints;
import io.jvmebpf.smoke.otlp.OtlpReceiver;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent as the OpenTelemetry Java agent's extension (the real agent, 2.33.1 from Maven
 * Central) in an HTTP service it instruments, exporting to a real OTLP receiver: each server
 * span carries what the kernel saw on its thread while it was open.
 */
@ExtendWith(RequiresBpf.class)
class OtelExtensionIT {
  private static final long WORK_NS = 200_000_000L;
  private static final int REQUESTS = 5;

  @Test
  void serverSpansCarryTheirThreadsKernelFigures() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      OtelService otel = OtelService.start(receiver, "spans-it");
      AgentRun.Running service = otel.run();
      // Once each first: class loading and the JIT's first compilations are not the request's.
      otel.get("/cpu?warmup");
      otel.get("/sleep?warmup");
      for (int i = 0; i < REQUESTS; i++) {
        otel.get("/cpu");
        otel.get("/sleep");
      }
      otel.stop();

      assertTrue(receiver.await(Duration.ofSeconds(10), () -> spans(receiver, "/sleep").size() == REQUESTS),
          "spans received: " + receiver.traces().size() + " requests; see " + service.runDir());
      for (Span span : spans(receiver, "/cpu")) {
        long onCpu = attribute(span, "jvm_ebpf.cpu.on_ns");
        assertAccountsForItsDuration(span);
        assertTrue(onCpu >= WORK_NS * 0.85 && onCpu <= WORK_NS * 1.15, "/cpu on CPU " + onCpu + " ns");
      }
      for (Span span : spans(receiver, "/sleep")) {
        long onCpu = attribute(span, "jvm_ebpf.cpu.on_ns");
        long asleep = attribute(span, "jvm_ebpf.cpu.off.sleep_ns");
        long offCpu = attribute(span, "jvm_ebpf.cpu.off_ns");
        assertAccountsForItsDuration(span);
        assertTrue(onCpu < 20_000_000L, "/sleep on CPU " + onCpu + " ns");
        // Off CPU also holds the run-queue waits after the sleep, as long as the machine makes them.
        assertTrue(asleep >= WORK_NS * 0.97 && asleep <= WORK_NS * 1.15 && offCpu >= asleep,
            "/sleep asleep " + asleep + ", off CPU " + offCpu);
        assertTrue(attribute(span, "jvm_ebpf.network.sent_bytes") > 0, "the reply was sent on the span's thread");
      }

      // The agent's metrics go where the OpenTelemetry agent sends its own, with its resource.
      List<MetricPoints.Point> syscalls = MetricPoints.of(receiver.metrics()).named("jvm_ebpf.syscall.count");
      assertTrue(!syscalls.isEmpty(), "metrics received: " + receiver.metricNames());
      assertEquals("spans-it", syscalls.get(0).resource().get("service.name"));

      JsonNode spans = new ObjectMapper().readTree(service.reportDir().resolve("summary.json").toFile()).path("spans");
      assertEquals(2 * REQUESTS + 3, spans.path("ended").asLong(), spans.toString());
      assertEquals(2 * REQUESTS + 3, spans.path("attributed").asLong(), spans.toString());
      assertEquals("GET /cpu", spans.at("/topByOnCpu/0/name").asText());
      // By off-CPU time /cpu may come first on a busy machine: its run-queue waits count there too.
      JsonNode sleeps = null;
      for (JsonNode row : spans.path("topByOffCpu")) {
        sleeps = row.path("name").asText().equals("GET /sleep") ? row : sleeps;
      }
      assertTrue(sleeps != null && sleeps.path("sleepNs").asLong() >= (REQUESTS + 1) * WORK_NS * 0.97, spans.toString());
      List<String> stderr = Files.readAllLines(service.stderr());
      assertTrue(stderr.stream().noneMatch(line -> line.contains("Exception") || line.contains("jvm-ebpf] off")),
          String.join("\n", stderr));
    }
  }

  /**
   * Loaded as the extension into a JVM too old for the core, or with a bad option: one line
   * says why, the OpenTelemetry agent and the application run on.
   */
  @Test
  void anOldJavaOrABadOptionIsOneLineAndTheApplicationRuns() throws Exception {
    Jdks.Java old = Jdks.find(8, 22).orElse(null);
    if (old == null) {
      MachineAssumptions.skip("no Java before 22 in /usr/lib/jvm or on PATH");
    }
    String[] quiet = {"-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"};
    AgentRun.Result onOld = AgentRun.writer(100).asOpenTelemetryExtension().java(old.binary()).jvmFlags(quiet).run();
    AgentRun.Result badOption = AgentRun.writer(100).asOpenTelemetryExtension().agentOptions("cpu=bogus").jvmFlags(quiet).run();
    for (AgentRun.Result run : List.of(onOld, badOption)) {
      assertEquals(0, run.exitCode(), run.runDir().toString());
      assertTrue(run.stdout().contains(AgentRun.writerLine(100)), run.stdout().toString());
      List<String> ours = run.stderr().stream().filter(line -> line.startsWith("[jvm-ebpf]")).toList();
      assertEquals(1, ours.size(), run.stderr().toString());
      assertTrue(run.stderr().stream().noneMatch(line -> line.contains("Exception")), run.stderr().toString());
    }
    assertTrue(onOld.stderr().contains("[jvm-ebpf] off: this JVM is Java " + old.feature()
        + "; jvm-ebpf needs Java 22+ (its FFM API); run the application on JDK 22 or newer"), onOld.stderr().toString());
    assertTrue(badOption.stderr().contains("[jvm-ebpf] off: bad options: cpu=bogus is not one of on, off"),
        badOption.stderr().toString());
  }

  /**
   * On and off CPU together are the thread's whole time in the span: its duration, less the
   * instrumentation's own work before our start hook and after our end hook.
   */
  private static void assertAccountsForItsDuration(Span span) {
    long duration = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    long accounted = attribute(span, "jvm_ebpf.cpu.on_ns") + attribute(span, "jvm_ebpf.cpu.off_ns");
    assertTrue(accounted >= duration * 0.95 && accounted <= duration * 1.01,
        span.getName() + ": on + off CPU " + accounted + " ns, duration " + duration + " ns");
  }

  /** The measured server spans of {@code path}: the warm-up requests carry a query. */
  private static List<Span> spans(OtlpReceiver receiver, String path) {
    return receiver.traces().stream()
        .flatMap(request -> request.getResourceSpansList().stream())
        .flatMap(resource -> resource.getScopeSpansList().stream())
        .flatMap(scope -> scope.getSpansList().stream())
        .filter(span -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .filter(span -> path.equals(stringAttribute(span, "url.path")) && stringAttribute(span, "url.query") == null)
        .toList();
  }

  private static long attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).findFirst()
        .map(kv -> kv.getValue().getIntValue())
        .orElseThrow(() -> new AssertionError("span " + span.getName() + " has no " + key + ": " + span.getAttributesList()));
  }

  private static String stringAttribute(Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).findFirst()
        .map(KeyValue::getValue).map(v -> v.getStringValue()).orElse(null);
  }
}
