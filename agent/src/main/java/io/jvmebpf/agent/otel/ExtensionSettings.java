package io.jvmebpf.agent.otel;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.config.OtelOptions;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The OpenTelemetry Java agent's export settings, as its extension hands them over (JDK types
 * only cross the class-loader boundary): {@code endpoint} (absent: it exports nothing over
 * OTLP/HTTP), {@code header.NAME} and {@code resource.KEY}. Every session of the JVM takes them;
 * an {@code otlp=} option of the user's own still wins for the endpoint.
 */
public final class ExtensionSettings {
  private static volatile Map<String, String> settings; // null: not loaded as the extension

  private ExtensionSettings() {}

  public static void set(Map<String, String> fromExtension) {
    settings = Map.copyOf(fromExtension);
  }

  public static AgentOptions apply(AgentOptions options) {
    Map<String, String> current = settings;
    if (current == null) {
      return options;
    }
    Map<String, String> headers = new HashMap<>();
    Map<String, String> resource = new HashMap<>();
    current.forEach((key, value) -> {
      if (key.startsWith("header.")) {
        headers.put(key.substring("header.".length()), value);
      } else if (key.startsWith("resource.")) {
        resource.put(key.substring("resource.".length()), value);
      }
    });
    OtelOptions own = options.otel();
    URI endpoint = own.endpoint() != null ? own.endpoint()
        : current.containsKey("endpoint") ? URI.create(current.get("endpoint")) : null;
    return options.withOtel(new OtelOptions(endpoint, headers, resource, own.interval(), own.spans(), own.threads()));
  }
}
