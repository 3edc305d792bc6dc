package io.jvmebpf.agent.otel.profiles;

import io.jvmebpf.agent.AgentThreads;
import io.jvmebpf.agent.log.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * POSTs one encoded request to OTLP/HTTP's profiles path, {@code application/x-protobuf}
 * gzipped, with the configured headers. A client per export, shut down after it: the JDK's client keeps a
 * selector thread for as long as it lives, and the agent leaves no thread behind a session.
 * Its worker tasks run on the agent's own threads.
 */
final class OtlpProfilesSender {
  /** The signal is alpha: its path says so, as the collector's OTLP receiver serves it. */
  static final String PATH = "/v1development/profiles";

  private final AgentLog log;
  private final Duration timeout;

  OtlpProfilesSender(AgentLog log, Duration timeout) {
    this.log = log;
    this.timeout = timeout;
  }

  /** What became of one request. */
  sealed interface Result permits Sent, Failed {}

  record Sent(int status) implements Result {}

  record Failed(String reason) implements Result {}

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    }
    return out.toByteArray();
  }

  /** {@code endpoint}'s profiles URL: the base URL with the signal's path. */
  static URI profilesUri(URI endpoint) {
    String base = endpoint.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH);
  }

  /** Sends {@code body}; never throws, and returns within about {@code timeout}. */
  Result send(URI endpoint, Map<String, String> headers, byte[] body) {
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .executor(task -> AgentThreads.start("otlp-http", task, log))
        .build();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(profilesUri(endpoint))
          .timeout(timeout)
          .header("Content-Type", "application/x-protobuf")
          .header("Content-Encoding", "gzip") // as the metrics go; stacks' strings shrink several times
          .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body)));
      headers.forEach(request::header);
      HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status / 100 == 2 ? new Sent(status) : new Failed("HTTP " + status);
    } catch (HttpTimeoutException e) {
      return new Failed("no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return new Failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed("interrupted");
    } catch (IllegalArgumentException e) { // a header the client refuses (restricted or malformed)
      return new Failed(e.getMessage());
    } finally {
      client.shutdownNow();
    }
  }
}
