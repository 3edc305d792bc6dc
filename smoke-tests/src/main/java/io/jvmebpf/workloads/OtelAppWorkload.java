package io.jvmebpf.workloads;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * An application with its own OpenTelemetry (API and SDK of another version than the agent's, on
 * the class path): it sets the global OpenTelemetry, counts with its own SDK and prints what its
 * exporter saw, while a thread named {@code writer-3} makes exactly N write(2) calls.
 *
 * <p>Usage: {@code OtelAppWorkload N}. Prints {@code app api <version>}, {@code app counted 42}
 * and {@code writer-3 made N writes}.
 */
public final class OtelAppWorkload {
  private OtelAppWorkload() {}

  public static void main(String[] args) throws Exception {
    long writes = Long.parseLong(args[0]);
    long[] seen = {-1};
    MetricExporter exporter = new MetricExporter() {
      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        for (MetricData metric : metrics) {
          if (metric.getName().equals("app.requests")) {
            for (LongPointData point : metric.getLongSumData().getPoints()) {
              seen[0] = point.getValue();
            }
          }
        }
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return AggregationTemporality.CUMULATIVE;
      }
    };
    SdkMeterProvider meters = SdkMeterProvider.builder()
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(1, TimeUnit.HOURS).build())
        .build();
    GlobalOpenTelemetry.set(new OpenTelemetryWithMeters(meters));
    LongCounter counter = GlobalOpenTelemetry.getMeter("app").counterBuilder("app.requests").build();
    for (int i = 0; i < 42; i++) {
      counter.add(1, Attributes.of(AttributeKey.stringKey("route"), "/"));
    }
    meters.forceFlush().join(10, TimeUnit.SECONDS);
    System.out.println("app api " + OpenTelemetry.class.getPackage().getImplementationVersion()
        + " from " + OpenTelemetry.class.getProtectionDomain().getCodeSource().getLocation().getPath()
            .replaceAll(".*/", ""));
    System.out.println("app counted " + seen[0]);
    Thread writer = new Thread(() -> DevNull.write(writes), "writer-3");
    writer.start();
    writer.join();
    System.out.println("writer-3 made " + writes + " writes");
    meters.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** The application's OpenTelemetry: its own meters, no-op traces. */
  private record OpenTelemetryWithMeters(SdkMeterProvider meters) implements OpenTelemetry {
    @Override
    public io.opentelemetry.api.trace.TracerProvider getTracerProvider() {
      return io.opentelemetry.api.trace.TracerProvider.noop();
    }

    @Override
    public io.opentelemetry.api.metrics.MeterProvider getMeterProvider() {
      return meters;
    }

    @Override
    public io.opentelemetry.context.propagation.ContextPropagators getPropagators() {
      return io.opentelemetry.context.propagation.ContextPropagators.noop();
    }
  }
}
