package io.jvmebpf.otel;

import io.jvmebpf.bootstrap.ExtensionEntry;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the extension's two entries share: the OpenTelemetry agent's settings, taken while its SDK
 * is configured, and the core, loaded once from the agent jar. Only JDK types reach the core.
 */
final class Extension {
  private static final String INSTRUMENTATION_HOLDER = "io.opentelemetry.javaagent.bootstrap.InstrumentationHolder";
  private static final Map<String, String> settings = new HashMap<>(); // guarded by Extension.class
  private static Map<String, Object> hooks; // guarded by Extension.class; null: not asked yet

  private Extension() {}

  /** Whether this runs inside the OpenTelemetry Java agent, not an application's own SDK. */
  static boolean underOpenTelemetryAgent() {
    return instrumentation() != null;
  }

  static synchronized void configured(Resource resource, ConfigProperties config) {
    resource.getAttributes().forEach((key, value) -> settings.put("resource." + key.getKey(), String.valueOf(value)));
    // OTLP/HTTP only: the agent's profiles and metrics go where the traces go, when they go by HTTP.
    String protocol = config.getString("otel.exporter.otlp.protocol", "http/protobuf");
    if (protocol.equals("http/protobuf") && config.getList("otel.metrics.exporter", Collections.singletonList("otlp")).contains("otlp")) {
      settings.put("endpoint", config.getString("otel.exporter.otlp.endpoint", "http://localhost:4318"));
      config.getMap("otel.exporter.otlp.headers").forEach((name, value) -> settings.put("header." + name, value));
    }
  }

  /** The span processor, or null (one line said why) when the core cannot run here. */
  static synchronized SpanProcessor spanProcessor() {
    Map<String, Object> core = hooks();
    if (core.isEmpty() || !isOn(ExtensionOptions.fromSystem(), "spans")) {
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      List<String> attributes = (List<String>) core.get("attributes");
      return new KernelSpanProcessor((MethodHandle) core.get("start"), (MethodHandle) core.get("end"), attributes);
    } catch (LinkageError e) {
      return null; // an SDK without onEnding: spans go without figures, the rest runs
    }
  }

  static synchronized void start() {
    File jar = AgentJar.find();
    Instrumentation inst = instrumentation();
    if (hooks != null && hooks.isEmpty()) {
      return; // the core could not load for the span processor, and said why once
    }
    if (jar != null && inst != null) {
      ExtensionEntry.start(jar, ExtensionOptions.fromSystem(), inst, new HashMap<>(settings));
    }
  }

  private static Map<String, Object> hooks() {
    if (hooks == null) {
      File jar = AgentJar.find();
      Instrumentation inst = instrumentation();
      hooks = jar == null || inst == null ? new HashMap<>() : ExtensionEntry.spanHooks(jar, inst, ExtensionOptions.fromSystem());
    }
    return hooks;
  }

  private static boolean isOn(String options, String key) {
    for (String option : options.split(",")) {
      if (option.equals(key + "=off")) {
        return false;
      }
    }
    return true;
  }

  private static Instrumentation instrumentation() {
    try {
      return (Instrumentation) Class.forName(INSTRUMENTATION_HOLDER).getMethod("getInstrumentation").invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

}
