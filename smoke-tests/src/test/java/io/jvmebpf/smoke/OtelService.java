package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.smoke.otlp.OtlpReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code HttpSpansWorkload} under the real OpenTelemetry Java agent with the agent as its
 * extension, exporting to {@code receiver}: started, asked, stopped, as the OpenTelemetry tests do.
 */
final class OtelService {
  private final AgentRun.Running run;
  private final int port;
  private final HttpClient client = HttpClient.newHttpClient();

  private OtelService(AgentRun.Running run, int port) {
    this.run = run;
    this.port = port;
  }

  /** Metrics stay on: the extension hands the agent the OTLP endpoint only with them. */
  static OtelService start(OtlpReceiver receiver, String serviceName) throws Exception {
    AgentRun.Running run = AgentRun.of("io.jvmebpf.workloads.HttpSpansWorkload")
        .asOpenTelemetryExtension()
        .jvmFlags("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
            "-Dotel.exporter.otlp.protocol=http/protobuf",
            "-Dotel.service.name=" + serviceName,
            "-Dotel.bsp.schedule.delay=100",
            "-Dotel.logs.exporter=none")
        .begin();
    return new OtelService(run, awaitPort(run));
  }

  AgentRun.Running run() {
    return run;
  }

  void get(String path) throws Exception {
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path);
  }

  /** Asks it to stop and waits for its exit: its agents flush their exports at the exit. */
  void stop() throws Exception {
    get("/stop");
    assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), "the service did not stop; see " + run.runDir());
    assertEquals(0, run.process().exitValue(), "see " + run.runDir());
  }

  private static int awaitPort(AgentRun.Running run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Optional<String> line = Files.readAllLines(run.stdout()).stream().filter(l -> l.startsWith("listening ")).findFirst();
      if (line.isPresent()) {
        return Integer.parseInt(line.get().substring("listening ".length()).trim());
      }
      assertTrue(run.process().isAlive(), "the service exited; see " + run.runDir());
      Thread.sleep(100);
    }
    throw new AssertionError("the service did not listen within 60 s; see " + run.runDir());
  }
}
