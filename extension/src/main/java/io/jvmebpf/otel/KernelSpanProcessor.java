package io.jvmebpf.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.internal.ExtendedSpanProcessor;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Gives each server and consumer span what the kernel saw on its thread while it was open: the
 * core reads the thread's running totals at the start and again as the span ends (onEnding, while
 * attributes can still be set), from memory the kernel shares with it. Allocates nothing of its
 * own per span: a thread's buffer is made once; the SDK boxes the attribute values it stores.
 */
final class KernelSpanProcessor implements ExtendedSpanProcessor {
  /** The figures every attributed span carries, even at zero: on-CPU and off-CPU time. */
  private static final int ALWAYS = 2;

  private final MethodHandle start;
  private final MethodHandle end;
  private final AttributeKey<Long>[] keys;
  private final ThreadLocal<long[]> figures;

  @SuppressWarnings("unchecked")
  KernelSpanProcessor(MethodHandle start, MethodHandle end, List<String> attributes) {
    this.start = start;
    this.end = end;
    this.keys = new AttributeKey[attributes.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = AttributeKey.longKey(attributes.get(i));
    }
    int count = keys.length;
    this.figures = ThreadLocal.withInitial(() -> new long[count]);
  }

  private static boolean followed(ReadableSpan span) {
    SpanKind kind = span.getKind();
    return kind == SpanKind.SERVER || kind == SpanKind.CONSUMER;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (!followed(span)) {
      return;
    }
    SpanContext context = span.getSpanContext();
    String traceId = context.getTraceId();
    try {
      start.invokeExact(HexIds.parse(traceId, 0), HexIds.parse(traceId, 16), HexIds.parse(context.getSpanId(), 0));
    } catch (Throwable t) {
      // The core never throws here; a span without figures is the worst that may happen.
    }
  }

  @Override
  public void onEnding(ReadWriteSpan span) {
    if (!followed(span)) {
      return;
    }
    long[] values = figures.get();
    boolean attributed;
    try {
      attributed = (boolean) end.invokeExact(
          span.getName(), HexIds.parse(span.getSpanContext().getSpanId(), 0), span.getLatencyNanos(), values);
    } catch (Throwable t) {
      return;
    }
    if (attributed) {
      // Time on and off CPU always; the rest when not zero: each attribute is an entry and a boxed
      // value the SDK allocates and every exporter sends.
      for (int i = 0; i < keys.length; i++) {
        if (i < ALWAYS || values[i] != 0) {
          span.setAttribute(keys[i], values[i]);
        }
      }
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public boolean isOnEndingRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
