package io.jvmebpf.agent.otel.export;

import io.jvmebpf.agent.AgentThreads;
import io.jvmebpf.agent.config.OtelOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.otel.jul.Logger;
import io.jvmebpf.agent.otel.metrics.KernelMetrics;
import io.jvmebpf.agent.probe.Probes;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.opentelemetry.context.ContextStorageProvider;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Metrics through an embedded OpenTelemetry SDK (relocated to {@code io.jvmebpf.shaded.otel} in
 * the agent jar, so it never meets the application's own OpenTelemetry classes) to an OTLP/HTTP
 * endpoint, every {@code otlp.interval} and once more at {@link #close()}. Built from an {@link
 * OtelOptions} alone. Its threads are the agent's: {@code jvm-ebpf-otlp} collects (reading the
 * probes' maps) and hands over, {@code jvm-ebpf-otlp-send} sends (see {@link AgentHttpSender}),
 * {@code jvm-ebpf-otlp-http} runs the HttpClient's tasks, {@code jvm-ebpf-otlp-selector} is its
 * selector.
 */
public final class OtlpExport implements AutoCloseable {
  /** How long one export may take, and so the most a final export can hold the JVM's exit. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String SCOPE = "io.jvmebpf";

  private final String endpoint;
  private final SdkMeterProvider provider;
  private final KernelMetrics metrics;
  private final List<ExecutorService> threads;
  private final AgentLog log;

  private OtlpExport(String endpoint, SdkMeterProvider provider, KernelMetrics metrics, List<ExecutorService> threads,
      AgentLog log) {
    this.endpoint = endpoint;
    this.provider = provider;
    this.metrics = metrics;
    this.threads = threads;
    this.log = log;
  }

  /**
   * Starts exporting; null, having said why in one line, when it cannot (a JVM without the
   * {@code java.net.http} module). Opens no connection until the first collection.
   *
   * @throws IllegalArgumentException if {@code otel} has no endpoint
   */
  public static OtlpExport start(OtelOptions otel, Probes probes, ThreadRegistry threads, AgentLog log) {
    if (!otel.exports()) {
      throw new IllegalArgumentException("no endpoint");
    }
    if (ModuleLayer.boot().findModule("java.net.http").isEmpty()) {
      log.info("OTLP export off: this JVM has no java.net.http module, whose HttpClient sends it");
      return null;
    }
    // The SDK's Context looks up a ContextStorageProvider through ServiceLoader, which a named
    // module may only do for a service its descriptor declares; the core's (made by the bootstrap)
    // declares none, so the lookup would fail and leave the SDK without a context. None is
    // provided in the core's layer: the lookup finds none and takes the default storage.
    // The same for the exporter's compressors, looked up when its class is first used (gzip is
    // built in).
    OtlpExport.class.getModule().addUses(ContextStorageProvider.class);
    OtlpExport.class.getModule().addUses(Compressor.class);
    Logger.sink((message, error) -> log.debug("OpenTelemetry SDK: " + message + (error == null ? "" : " (" + error + ")")));
    String endpoint = metricsUrl(otel);
    ScheduledExecutorService collector =
        Executors.newSingleThreadScheduledExecutor(r -> AgentThreads.unstarted("otlp", r, log));
    ExecutorService sender = Executors.newSingleThreadExecutor(r -> AgentThreads.unstarted("otlp-send", r, log));
    ExecutorService http = Executors.newCachedThreadPool(r -> AgentThreads.unstarted("otlp-http", r, log));
    try {
      OtlpHttpMetricExporterBuilder exporter = OtlpHttpMetricExporter.builder()
          .setEndpoint(endpoint)
          .setTimeout(TIMEOUT)
          .setConnectTimeout(TIMEOUT)
          .setCompression("gzip")
          .setRetryPolicy(null) // the next interval's export carries the same totals
          .setComponentLoader(new SenderLoader(sender, http));
      otel.headers().forEach(exporter::addHeader);
      ReportingExporter reporting = new ReportingExporter(exporter.build(), endpoint, log);
      PeriodicMetricReader reader = PeriodicMetricReader.builder(reporting)
          .setInterval(otel.interval())
          .setExecutor(collector)
          .build();
      SdkMeterProvider provider = SdkMeterProvider.builder()
          .setResource(ExportResource.of(otel))
          .registerMetricReader(reader)
          .build();
      KernelMetrics metrics = KernelMetrics.register(
          provider.meterBuilder(SCOPE).setInstrumentationVersion(version()).build(), probes, threads, otel.threads());
      log.debug("OTLP export to " + endpoint + " every " + otel.interval().toSeconds() + " s");
      return new OtlpExport(endpoint, provider, metrics, List.of(collector, sender, http), log);
    } catch (RuntimeException | LinkageError e) {
      collector.shutdownNow();
      sender.shutdownNow();
      http.shutdownNow();
      log.info("OTLP export off: it could not start (" + e + "); the application runs on");
      return null;
    }
  }

  /** The URL metrics are sent to. */
  public String endpoint() {
    return endpoint;
  }

  /** {@code ENDPOINT/v1/metrics}, as the SDK builds it from {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  static String metricsUrl(OtelOptions otel) {
    String base = otel.endpoint().toString();
    return (base.endsWith("/") ? base : base + "/") + "v1/metrics";
  }

  private static String version() {
    Package p = OtlpExport.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * Collects and exports a last time, then ends the export's threads; waits at most a few
   * seconds for a collector that does not answer. Never throws.
   */
  @Override
  public void close() {
    try {
      metrics.lastRound();
      provider.shutdown().join(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (RuntimeException | LinkageError e) {
      log.debug("OTLP export: the last export failed: " + e);
    } finally {
      threads.forEach(ExecutorService::shutdownNow);
    }
  }
}
