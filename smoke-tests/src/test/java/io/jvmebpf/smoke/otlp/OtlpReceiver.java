package io.jvmebpf.smoke.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver (binary protobuf, optionally gzip), decoding with opentelemetry-proto's
 * own classes, as the OpenTelemetry Java instrumentation's smoke tests do with their fake
 * back end: what arrives here is what a collector would have read, not what our exporter meant.
 *
 * <p>{@code try (OtlpReceiver otlp = OtlpReceiver.start()) { ... otlp.endpoint() ... }}: binds
 * 127.0.0.1 on a free port. Every request, decoded or not, counts in {@link #requests()}; one that
 * does not decode is kept in {@link #rejected()} with the reason and answered 400, so that a test
 * can fail on it instead of the exporter retrying quietly.
 */
public final class OtlpReceiver implements AutoCloseable {
  public static final String TRACES = "/v1/traces";
  public static final String METRICS = "/v1/metrics";
  public static final String LOGS = "/v1/logs";
  public static final String PROFILES = "/v1development/profiles";

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
  private final List<ExportProfilesServiceRequest> profiles = new CopyOnWriteArrayList<>();
  private final List<String> rejected = new CopyOnWriteArrayList<>();
  private final List<String> headerLines = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  private OtlpReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Listens on 127.0.0.1 at a port the kernel picks. */
  public static OtlpReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    });
    OtlpReceiver receiver = new OtlpReceiver(server, executor);
    server.createContext("/", receiver::handle);
    server.setExecutor(executor);
    server.start();
    return receiver;
  }

  /** {@code http://127.0.0.1:PORT}, the base URL OTLP/HTTP exporters append their paths to. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<ExportTraceServiceRequest> traces() {
    return List.copyOf(traces);
  }

  public List<ExportMetricsServiceRequest> metrics() {
    return List.copyOf(metrics);
  }

  public List<ExportLogsServiceRequest> logs() {
    return List.copyOf(logs);
  }

  public List<ExportProfilesServiceRequest> profiles() {
    return List.copyOf(profiles);
  }

  /** Every request received, on any path, decoded or not. */
  public int requests() {
    return requests.get();
  }

  /** Requests answered with an error: method, path, content type and why. */
  public List<String> rejected() {
    return List.copyOf(rejected);
  }

  /** One line per request: path and the request headers, for a test that checks OTEL_EXPORTER_OTLP_HEADERS. */
  public List<String> headerLines() {
    return List.copyOf(headerLines);
  }

  /**
   * Polls until {@code condition} holds; false if it still does not after {@code timeout}. The
   * condition reads this receiver's lists, which only grow.
   */
  public boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        return condition.getAsBoolean();
      }
      Thread.sleep(50);
    }
    return true;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      headerLines.add(path + " " + exchange.getRequestHeaders().entrySet());
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String problem = problem(exchange);
      if (problem != null) {
        reject(exchange, path, problem);
        return;
      }
      try {
        byte[] raw = unzipped(exchange, body);
        Message response = switch (path) {
          case TRACES -> {
            traces.add(ExportTraceServiceRequest.parseFrom(raw));
            yield ExportTraceServiceResponse.getDefaultInstance();
          }
          case METRICS -> {
            metrics.add(ExportMetricsServiceRequest.parseFrom(raw));
            yield ExportMetricsServiceResponse.getDefaultInstance();
          }
          case LOGS -> {
            logs.add(ExportLogsServiceRequest.parseFrom(raw));
            yield ExportLogsServiceResponse.getDefaultInstance();
          }
          case PROFILES -> {
            profiles.add(ExportProfilesServiceRequest.parseFrom(raw));
            yield ExportProfilesServiceResponse.getDefaultInstance();
          }
          default -> null;
        };
        if (response == null) {
          rejected.add(exchange.getRequestMethod() + " " + path + ": unknown path");
          send(exchange, 404, "text/plain", "unknown path".getBytes(StandardCharsets.UTF_8));
          return;
        }
        send(exchange, 200, "application/x-protobuf", response.toByteArray());
      } catch (InvalidProtocolBufferException | UncheckedIOException e) {
        reject(exchange, path, "does not decode: " + e.getMessage());
      }
    }
  }

  private static String problem(HttpExchange exchange) {
    if (!"POST".equals(exchange.getRequestMethod())) {
      return "method " + exchange.getRequestMethod();
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("application/x-protobuf")) {
      return "content type " + type;
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && !encoding.equals("gzip") && !encoding.equals("identity")) {
      return "content encoding " + encoding;
    }
    return null;
  }

  private static byte[] unzipped(HttpExchange exchange, byte[] body) {
    if (!"gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      return body;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("gzip: " + e.getMessage(), e);
    }
  }

  private void reject(HttpExchange exchange, String path, String why) throws IOException {
    rejected.add(exchange.getRequestMethod() + " " + path + ": " + why);
    send(exchange, 400, "text/plain", why.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Every metric name in every request received so far, for failure messages. */
  public List<String> metricNames() {
    List<String> names = new ArrayList<>();
    metrics.forEach(r -> r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList()
        .forEach(sm -> sm.getMetricsList().forEach(m -> names.add(m.getName())))));
    return names;
  }
}
