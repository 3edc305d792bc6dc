package io.jvmebpf.agent.otel.profiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jvmebpf.agent.config.OtelOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.ReportBuilder.ProfileFile;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender and the export against a real HTTP server on the loopback, as a collector would take them. */
class OtlpProfilesSenderTest {
  private static final List<ProfileFile> PROFILES = List.of(new ProfileFile("cpu",
      new Profile("cpu", 10_000_000L, List.of(new StackSample(7, "main",
          List.of(new Frame("demo.Main.main", FrameKind.JIT)), 3, false))),
      ProfileKind.CPU, ProfileSpan.UNKNOWN));

  @TempDir Path folder;
  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int status = 200;

  private record Received(String method, String path, String contentType, String encoding, String tenant, byte[] body) {}

  @BeforeEach
  void listen() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Content-Encoding"),
            exchange.getRequestHeaders().getFirst("X-Tenant"),
            exchange.getRequestBody().readAllBytes()));
        exchange.sendResponseHeaders(status, -1);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI endpoint(String suffix) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + suffix);
  }

  @Test
  void postsGzippedProtobufToTheProfilesPathWithTheHeaders() throws Exception {
    byte[] body = OtlpProfilesEncoder.encode(PROFILES, Map.of("service.name", "s"), "1");
    OtlpProfilesSender.Result result = new OtlpProfilesSender(AgentLog.stderr(), Duration.ofSeconds(5))
        .send(endpoint("/"), Map.of("X-Tenant", "team-a"), body); // a trailing slash adds no empty segment

    assertEquals(new OtlpProfilesSender.Sent(200), result);
    assertEquals(1, received.size());
    Received request = received.getFirst();
    assertEquals("POST", request.method());
    assertEquals("/v1development/profiles", request.path());
    assertEquals("application/x-protobuf", request.contentType());
    assertEquals("team-a", request.tenant());
    assertEquals("gzip", request.encoding());
    byte[] unzipped;
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(request.body()))) {
      unzipped = in.readAllBytes();
    }
    assertArrayEquals(body, unzipped);
    assertTrue(request.body().length < body.length, request.body().length + " bytes gzipped, " + body.length + " not");
    ExportProfilesServiceRequest.parseFrom(unzipped);
  }

  @Test
  void aRefusalIsAFailureWithItsStatus() {
    status = 503;
    assertEquals(new OtlpProfilesSender.Failed("HTTP 503"),
        new OtlpProfilesSender(AgentLog.stderr(), Duration.ofSeconds(5)).send(endpoint(""), Map.of(), new byte[] {1}));
  }

  @Test
  void nobodyListeningIsAFailureSoon() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    long started = System.nanoTime();
    OtlpProfilesSender.Result result = new OtlpProfilesSender(AgentLog.stderr(), Duration.ofSeconds(2))
        .send(URI.create("http://127.0.0.1:" + closedPort), Map.of(), new byte[] {1});
    assertInstanceOf(OtlpProfilesSender.Failed.class, result);
    assertTrue(System.nanoTime() - started < 3_000_000_000L, "took " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  /** The client's selector thread ends with the export: the agent leaves no thread behind. */
  @Test
  void exportLogsOneLineOnFailureAndLeavesNoThread() throws Exception {
    status = 500;
    Path logFile = folder.resolve("agent.log");
    AgentLog log = new AgentLog(logFile.toString(), false);
    OtelOptions otel = new OtelOptions(endpoint(""), Map.of(), Map.of(), OtelOptions.DEFAULT_INTERVAL, true);

    OtlpProfilesExport.export(PROFILES, otel, "1", log);

    assertEquals(1, received.size());
    List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
    assertEquals(List.of("[jvm-ebpf] could not export profiles to " + endpoint("") + "/v1development/profiles: HTTP 500"),
        lines);
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (httpClientThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, httpClientThreads(), "threads left: " + Thread.getAllStackTraces().keySet());
  }

  @Test
  void noEndpointSendsNothing() {
    OtlpProfilesExport.export(PROFILES, OtelOptions.defaults(), "1", AgentLog.stderr());
    assertEquals(List.of(), received);
  }

  private static long httpClientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && (t.getName().startsWith("HttpClient-") || t.getName().startsWith("jvm-ebpf-otlp")))
        .count();
  }
}
