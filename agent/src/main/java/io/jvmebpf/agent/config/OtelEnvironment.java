package io.jvmebpf.agent.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The export settings the OpenTelemetry SDK's autoconfiguration would read, from the same
 * environment variables and {@code otel.*} system properties (a property wins over its variable,
 * as there): the defaults that the agent's own {@code otlp*} options then override.
 *
 * <p>Read: {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code
 * OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_METRIC_EXPORT_INTERVAL} (ms),
 * and, to stay quiet where the application's own SDK is told to, {@code OTEL_SDK_DISABLED=true},
 * {@code OTEL_METRICS_EXPORTER=none} and an {@code OTEL_EXPORTER_OTLP_PROTOCOL} other than
 * {@code http/protobuf} (the only one the agent speaks). Not read: the per-signal endpoints.
 */
public final class OtelEnvironment {
  private OtelEnvironment() {}

  /** From this JVM's environment and system properties. */
  public static OtelOptions read(Consumer<String> problems) {
    return read(System.getenv(), System.getProperties()::getProperty, problems);
  }

  /**
   * @param env environment variables
   * @param properties system properties by name, null when unset
   * @param problems one line for each setting that is there but cannot be used
   */
  public static OtelOptions read(
      Map<String, String> env, java.util.function.Function<String, String> properties, Consumer<String> problems) {
    Settings settings = new Settings(env, properties);
    OtelOptions defaults = OtelOptions.defaults();
    URI endpoint = endpoint(settings, problems);
    Map<String, String> resource = new LinkedHashMap<>(pairs(settings, "otel.resource.attributes", problems));
    String service = settings.get("otel.service.name");
    if (service != null && !service.isBlank()) {
      resource.put("service.name", service.trim());
    }
    Duration interval = defaults.interval();
    String millis = settings.get("otel.metric.export.interval");
    if (millis != null) {
      try {
        long ms = Long.parseLong(millis.trim());
        if (ms < 1000) {
          throw new NumberFormatException();
        }
        interval = Duration.ofMillis(ms);
      } catch (NumberFormatException e) {
        problems.accept(settings.nameOf("otel.metric.export.interval") + "=" + millis
            + " is not a number of milliseconds of at least 1000; exporting every " + interval.toSeconds() + " s");
      }
    }
    return new OtelOptions(endpoint, pairs(settings, "otel.exporter.otlp.headers", problems), resource, interval,
        defaults.spans(), defaults.threads());
  }

  private static URI endpoint(Settings settings, Consumer<String> problems) {
    String value = settings.get("otel.exporter.otlp.endpoint");
    if (value == null || value.isBlank()) {
      return null;
    }
    if ("true".equalsIgnoreCase(trimmed(settings.get("otel.sdk.disabled")))
        || "none".equalsIgnoreCase(trimmed(settings.get("otel.metrics.exporter")))) {
      return null;
    }
    String protocol = trimmed(settings.get("otel.exporter.otlp.protocol"));
    if (protocol != null && !protocol.equals("http/protobuf")) {
      problems.accept(settings.nameOf("otel.exporter.otlp.protocol") + "=" + protocol
          + ": the agent exports with http/protobuf only; set otlp=URL of an OTLP/HTTP endpoint (port 4318) to export");
      return null;
    }
    try {
      URI uri = URI.create(value.trim());
      if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // said below
    }
    problems.accept(settings.nameOf("otel.exporter.otlp.endpoint") + "=" + value
        + " is not an http(s) URL (e.g. http://localhost:4318); not exporting");
    return null;
  }

  /** {@code key1=value1,key2=value2}, values percent-decoded, as the SDK reads them. */
  private static Map<String, String> pairs(Settings settings, String name, Consumer<String> problems) {
    String text = settings.get(name);
    Map<String, String> pairs = new LinkedHashMap<>();
    if (text == null) {
      return pairs;
    }
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? "" : pair.substring(0, eq).trim();
      if (key.isEmpty()) {
        problems.accept(settings.nameOf(name) + ": '" + pair.trim() + "' is not key=value; left out");
        continue;
      }
      try {
        pairs.put(key, URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        problems.accept(settings.nameOf(name) + ": '" + pair.trim() + "' is not percent-encoded; left out");
      }
    }
    return pairs;
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }

  /** A property ({@code otel.service.name}) or else its variable ({@code OTEL_SERVICE_NAME}). */
  private record Settings(Map<String, String> env, java.util.function.Function<String, String> properties) {
    String get(String property) {
      String value = properties.apply(property);
      return value != null ? value : env.get(variable(property));
    }

    /** The name of the setting that gave the value, for a problem line. */
    String nameOf(String property) {
      return properties.apply(property) != null ? "-D" + property : variable(property);
    }

    private static String variable(String property) {
      return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }
  }
}
