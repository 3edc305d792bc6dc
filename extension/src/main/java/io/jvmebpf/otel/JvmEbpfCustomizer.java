package io.jvmebpf.otel;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Hooks the agent into the OpenTelemetry Java agent's SDK as it is configured: takes its resource
 * and export settings, and adds the span processor that gives server and consumer spans the
 * kernel's figures. Found by the OpenTelemetry agent in the extension jar
 * ({@code -Dotel.javaagent.extensions=jvm-ebpf-agent.jar}); an application's own SDK that finds
 * it on the class path (the {@code -javaagent} jar is there) gets nothing from it.
 */
public final class JvmEbpfCustomizer implements AutoConfigurationCustomizerProvider {
  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    if (!Extension.underOpenTelemetryAgent()) {
      return;
    }
    customizer.addResourceCustomizer((resource, config) -> {
      Extension.configured(resource, config);
      return resource;
    });
    customizer.addTracerProviderCustomizer((builder, config) -> {
      SpanProcessor processor = Extension.spanProcessor();
      return processor == null ? builder : builder.addSpanProcessor(processor);
    });
  }
}
