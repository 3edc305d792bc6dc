package io.jvmebpf.smoke.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The receiver against requests made by hand: decoded, answered as a collector would, kept. */
class OtlpReceiverTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void decodesPlainAndGzippedRequestsAndAnswersWithTheEmptyResponse() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      assertTrue(otlp.endpoint().matches("http://127\\.0\\.0\\.1:\\d+"), otlp.endpoint());
      HttpResponse<byte[]> plain = post(otlp, OtlpReceiver.METRICS, metricsNamed("a").toByteArray(), false);
      HttpResponse<byte[]> zipped = post(otlp, OtlpReceiver.METRICS, gzip(metricsNamed("b").toByteArray()), true);

      assertEquals(200, plain.statusCode());
      assertEquals(200, zipped.statusCode());
      assertEquals(ExportMetricsServiceResponse.getDefaultInstance(), ExportMetricsServiceResponse.parseFrom(plain.body()));
      assertEquals(java.util.List.of("a", "b"), otlp.metricNames());
      assertEquals(2, otlp.requests());
      assertTrue(otlp.rejected().isEmpty(), otlp.rejected().toString());
    }
  }

  @Test
  void keepsEachSignalApart() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      ExportTraceServiceRequest traces = ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.getDefaultInstance()).build();
      assertEquals(200, post(otlp, OtlpReceiver.TRACES, traces.toByteArray(), false).statusCode());
      assertEquals(200, post(otlp, OtlpReceiver.PROFILES,
          ExportProfilesServiceRequest.getDefaultInstance().toByteArray(), false).statusCode());

      assertEquals(java.util.List.of(traces), otlp.traces());
      assertEquals(1, otlp.profiles().size());
      assertTrue(otlp.metrics().isEmpty());
      assertTrue(otlp.await(Duration.ofSeconds(1), () -> otlp.requests() == 2));
    }
  }

  @Test
  void rejectsWhatACollectorWouldNotRead() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      HttpRequest json = HttpRequest.newBuilder(URI.create(otlp.endpoint() + OtlpReceiver.METRICS))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
      assertEquals(400, http.send(json, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
      assertEquals(400, post(otlp, OtlpReceiver.METRICS, new byte[] {(byte) 0xff, 1, 2}, false).statusCode());
      assertEquals(404, post(otlp, "/v1/other", new byte[0], false).statusCode());

      assertEquals(3, otlp.requests());
      assertEquals(3, otlp.rejected().size(), otlp.rejected().toString());
      assertTrue(otlp.metrics().isEmpty());
      assertFalse(otlp.await(Duration.ofMillis(200), () -> !otlp.metrics().isEmpty()));
    }
  }

  private HttpResponse<byte[]> post(OtlpReceiver otlp, String path, byte[] body, boolean gzip)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(otlp.endpoint() + path))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static ExportMetricsServiceRequest metricsNamed(String name) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(name))))
        .build();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(raw);
    }
    return out.toByteArray();
  }
}
