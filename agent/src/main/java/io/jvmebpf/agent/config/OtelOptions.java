package io.jvmebpf.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where the agent exports through OTLP/HTTP (protobuf), and as what.
 *
 * @param endpoint the OTLP/HTTP base URL ({@code http://host:4318}); signals go to its
 *     {@code /v1/metrics} and {@code /v1development/profiles}. Null: no export, no connection.
 * @param headers sent with every export request ({@code OTEL_EXPORTER_OTLP_HEADERS})
 * @param resource the resource attributes every export carries ({@code service.name} among them)
 * @param interval how often metrics (and the profiles of the period) are exported
 * @param spans whether server and consumer spans get the kernel's figures for their thread
 *     (only where spans exist: loaded as an OpenTelemetry Java agent extension)
 * @param threads how metrics name the thread their figures belong to ({@code otlp.threads=})
 */
public record OtelOptions(
    URI endpoint,
    Map<String, String> headers,
    Map<String, String> resource,
    Duration interval,
    boolean spans,
    ThreadNaming threads) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** {@code otlp.threads=}: the {@code thread.name} attribute of per-thread metrics. */
  public enum ThreadNaming {
    /** Runs of digits become {@code N}: {@code pool-3-thread-17} is {@code pool-N-thread-N}. */
    NORMALIZE,
    /** The name as it is: one series per distinct name (capped, see the README). */
    RAW,
    /** No thread attribute: the process's totals only. */
    OFF
  }

  public OtelOptions {
    headers = Map.copyOf(headers);
    resource = Map.copyOf(resource);
  }

  public OtelOptions(URI endpoint, Map<String, String> headers, Map<String, String> resource, Duration interval,
      boolean spans) {
    this(endpoint, headers, resource, interval, spans, ThreadNaming.NORMALIZE);
  }

  public static OtelOptions defaults() {
    return new OtelOptions(null, Map.of(), Map.of(), DEFAULT_INTERVAL, true, ThreadNaming.NORMALIZE);
  }

  public boolean exports() {
    return endpoint != null;
  }

  public OtelOptions withEndpoint(URI endpoint) {
    return new OtelOptions(endpoint, headers, resource, interval, spans, threads);
  }

  public OtelOptions withThreads(ThreadNaming threads) {
    return new OtelOptions(endpoint, headers, resource, interval, spans, threads);
  }
}
