package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import io.jvmebpf.smoke.otlp.MetricPoints;
import io.jvmebpf.smoke.otlp.OtlpReceiver;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An application bundling its own OpenTelemetry API and SDK (1.30.1, the agent embeds 1.67.0):
 * it sets the global OpenTelemetry and counts with its SDK while the agent exports to a receiver.
 * Both work: the application's output is intact, and the agent's metrics arrive.
 */
@ExtendWith(RequiresBpf.class)
class OtelAppIT {
  private static final int WRITES = 3_000;

  @Test
  void anApplicationWithAnotherOpenTelemetryRunsUnharmedAndIsMeasured() throws Exception {
    List<Path> appOtel = appOpenTelemetryJars();
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      AgentRun.Result run = AgentRun.of("io.jvmebpf.workloads.OtelAppWorkload", Integer.toString(WRITES))
          .classPath(appOtel)
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
          .env("OTEL_SERVICE_NAME", "otel-app")
          .run();
      assertEquals(0, run.exitCode(), run.describe());
      assertTrue(run.stdout().contains("app api 1.30.1 from opentelemetry-api-1.30.1.jar"), run.describe());
      assertTrue(run.stdout().contains("app counted 42"), run.describe());
      assertTrue(run.stdout().contains("writer-3 made " + WRITES + " writes"), run.describe());
      assertReportLine(run);
      assertOnlyAgentLines(run);

      MetricPoints points = MetricPoints.of(otlp.metrics());
      assertEquals(WRITES, points.last("jvm_ebpf.syscall.count", Map.of("thread.name", "writer-N", "jvm_ebpf.syscall", "write")),
          0, otlp.metricNames().toString());
      assertEquals("otel-app", points.named("jvm_ebpf.syscall.count").get(0).resource().get("service.name"));
      // The agent's SDK reports itself as its own version, not the application's.
      assertEquals("1.67.0", points.named("jvm_ebpf.syscall.count").get(0).resource().get("telemetry.sdk.version"));
    }
  }

  /** The application's OpenTelemetry jars: on this test's class path as provided dependencies. */
  private static List<Path> appOpenTelemetryJars() {
    List<Path> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.matches(".*/opentelemetry-[a-z-]+-1\\.30\\.1(-alpha)?\\.jar"))
        .map(Path::of)
        .toList();
    assertEquals(5, jars.size(), "api, context, sdk-common, sdk-metrics, extension-incubator: " + jars);
    return jars;
  }
}
