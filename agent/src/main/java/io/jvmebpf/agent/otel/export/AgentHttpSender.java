package io.jvmebpf.agent.otel.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The OTLP exporter's HTTP sender: the JDK's HttpClient, as the SDK's own JDK sender uses it, but
 * on the agent's threads. That sender builds its client without an executor, so the JDK starts
 * worker threads of its own ({@code HttpClient-N-Worker-M}) in the application; this one gives the
 * client the agent's executor and renames the client's selector thread, the one thread the JDK
 * starts itself. Requests are sent one at a time, blocking, on {@code sending}; the client's
 * internal tasks run on {@code client}, a different executor, as a blocked send waits for them.
 */
final class AgentHttpSender implements HttpSender {
  private final HttpSenderConfig config;
  private final ExecutorService sending;
  private final HttpClient client;

  AgentHttpSender(HttpSenderConfig config, ExecutorService sending, ExecutorService clientTasks) {
    this.config = config;
    this.sending = sending;
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    this.client = HttpClient.newBuilder()
        .executor(clientTasks)
        .connectTimeout(config.getConnectTimeout())
        .build();
    renameSelector(before);
  }

  @Override
  public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    try {
      sending.execute(() -> {
        try {
          onResponse.accept(sendNow(message));
        } catch (IOException | RuntimeException e) {
          onError.accept(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          onError.accept(e);
        }
      });
    } catch (RuntimeException e) { // rejected: shut down
      onError.accept(e);
    }
  }

  private HttpResponse sendNow(MessageWriter message) throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(32, message.getContentLength() / 4));
    Compressor compressor = config.getCompressor();
    HttpRequest.Builder request = HttpRequest.newBuilder(config.getEndpoint())
        .timeout(config.getTimeout())
        .header("Content-Type", config.getContentType());
    if (compressor != null) {
      request.header("Content-Encoding", compressor.getEncoding());
      try (OutputStream out = compressor.compress(body)) {
        message.writeMessage(out);
      }
    } else {
      message.writeMessage(body);
    }
    Map<String, List<String>> headers = config.getHeadersSupplier() == null ? Map.of() : config.getHeadersSupplier().get();
    if (headers != null) {
      headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
    }
    java.net.http.HttpResponse<byte[]> response = client.send(
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    byte[] responseBody = response.body();
    int status = response.statusCode();
    return new HttpResponse() {
      @Override
      public int getStatusCode() {
        return status;
      }

      @Override
      public String getStatusMessage() {
        return Integer.toString(status);
      }

      @Override
      public byte[] getResponseBody() {
        return responseBody;
      }
    };
  }

  @Override
  public CompletableResultCode shutdown() {
    client.shutdownNow();
    return CompletableResultCode.ofSuccess();
  }

  /**
   * The client starts its selector thread when built, named {@code HttpClient-N-SelectorManager}
   * by the JDK: renamed as the agent's, so that its CPU counts as the agent's and no thread of the
   * export passes for the application's.
   */
  private static void renameSelector(Set<Thread> before) {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(thread) && thread.getName().matches("HttpClient-\\d+-SelectorManager")) {
        thread.setName("jvm-ebpf-otlp-selector");
      }
    }
  }
}
