package io.jvmebpf.agent.spans;

import io.jvmebpf.agent.otel.SpanLinks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * What the OpenTelemetry extension calls at span start and end, across the class-loader boundary
 * (the extension sees only JDK types of the core): method handles to these static methods, which
 * reach the running session's {@link SpanAttribution}, if any. Without one they return at once.
 */
public final class SpanHooks {
  private static volatile SpanAttribution current;
  private static volatile boolean connected;

  private SpanHooks() {}

  /**
   * For the extension: {@code start} (long traceIdHigh, long traceIdLow, long spanId) void,
   * {@code end} (String name, long spanId, long latencyNs, long[] figures) boolean, and
   * {@code attributes}, the span attribute name of each figure.
   */
  public static Map<String, Object> connect() {
    connected = true;
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      return Map.of(
          "start", lookup.findStatic(SpanHooks.class, "start",
              MethodType.methodType(void.class, long.class, long.class, long.class)),
          "end", lookup.findStatic(SpanHooks.class, "end",
              MethodType.methodType(boolean.class, String.class, long.class, long.class, long[].class)),
          "attributes", KernelFigures.ATTRIBUTES);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether spans can reach the agent: the OpenTelemetry Java agent loaded its extension. */
  public static boolean connected() {
    return connected;
  }

  static void attach(SpanAttribution attribution) {
    current = attribution;
  }

  static void detach(SpanAttribution attribution) {
    if (current == attribution) {
      current = null;
    }
  }

  /** Which span each thread was in, while a session attributes spans. */
  public static SpanLinks links() {
    SpanAttribution attribution = current;
    return attribution == null ? SpanLinks.NONE : attribution;
  }

  private static void start(long traceHigh, long traceLow, long spanId) {
    SpanAttribution attribution = current;
    if (attribution != null) {
      try {
        attribution.start(traceHigh, traceLow, spanId);
      } catch (IllegalStateException e) {
        // The session closed its slots meanwhile: this span goes without figures.
      }
    }
  }

  private static boolean end(String name, long spanId, long latencyNs, long[] figures) {
    SpanAttribution attribution = current;
    if (attribution == null) {
      return false;
    }
    try {
      return attribution.end(name, spanId, latencyNs, figures);
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
