package io.jvmebpf.agent.otel.export;

import io.jvmebpf.agent.log.AgentLog;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/**
 * The OTLP exporter, saying how its exports go in the agent's log: the first failure in one line
 * (the collector down says so at every interval otherwise), and that exports work again after
 * failures; everything else at debug. Cumulative temporality: a failed export loses nothing, the
 * next one carries the totals.
 */
final class ReportingExporter implements MetricExporter {
  private final MetricExporter delegate;
  private final String endpoint;
  private final AgentLog log;
  private volatile boolean failing;
  private volatile boolean saidFailure;

  ReportingExporter(MetricExporter delegate, String endpoint, AgentLog log) {
    this.delegate = delegate;
    this.endpoint = endpoint;
    this.log = log;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode result = delegate.export(metrics);
    result.whenComplete(() -> {
      if (result.isSuccess()) {
        if (failing) {
          failing = false;
          log.info("OTLP export to " + endpoint + " works again");
        }
        log.debug("OTLP export: " + metrics.size() + " metrics to " + endpoint);
      } else if (!failing) {
        failing = true;
        Throwable why = result.getFailureThrowable();
        String line = "OTLP export to " + endpoint + " failed (" + (why == null ? "the collector refused it" : reason(why))
            + "); the application runs on, the agent tries again every interval";
        if (!saidFailure) {
          saidFailure = true;
          log.info(line);
        } else {
          log.debug(line);
        }
      }
    });
    return result;
  }

  /**
   * What happened, without the SDK's and the JDK's wrappers: the first cause that is neither
   * (ConnectException, HttpTimeoutException, the SDK's message with the status code).
   */
  static String reason(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause && isWrapper(cause)) {
      cause = cause.getCause();
    }
    String name = cause.getClass().getName();
    String shortName = name.startsWith("io.jvmebpf.shaded.") ? cause.getClass().getSimpleName() : name;
    return cause.getMessage() == null ? shortName : shortName + ": " + cause.getMessage();
  }

  private static boolean isWrapper(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException
        || error instanceof java.util.concurrent.ExecutionException
        || error instanceof java.io.UncheckedIOException
        || error.getClass().getName().startsWith("io.jvmebpf.shaded.");
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return delegate.getAggregationTemporality(type);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType type) {
    return delegate.getDefaultAggregation(type);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
