package io.jvmebpf.otel;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's options as the OpenTelemetry agent's users write settings: system properties
 * {@code otel.jvm-ebpf.KEY=VALUE} and environment variables {@code OTEL_JVM_EBPF_KEY=VALUE}
 * ({@code OTEL_JVM_EBPF_NATIVEMEM_SAMPLE} is {@code nativemem.sample}), the property winning;
 * turned into the {@code key=value,...} text {@code -javaagent:} takes, with the same keys.
 */
final class ExtensionOptions {
  private static final String PROPERTY_PREFIX = "otel.jvm-ebpf.";
  private static final String ENV_PREFIX = "OTEL_JVM_EBPF_";

  private ExtensionOptions() {}

  static String fromSystem() {
    return from(System.getenv(), System.getProperties());
  }

  static String from(Map<String, String> env, Map<Object, Object> properties) {
    Map<String, String> options = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
        options.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    properties.forEach((name, value) -> {
      String key = String.valueOf(name);
      if (key.startsWith(PROPERTY_PREFIX) && key.length() > PROPERTY_PREFIX.length()) {
        options.put(key.substring(PROPERTY_PREFIX.length()), String.valueOf(value));
      }
    });
    StringBuilder text = new StringBuilder();
    options.forEach((key, value) -> text.append(text.length() == 0 ? "" : ",").append(key).append('=').append(value));
    return text.toString();
  }
}
