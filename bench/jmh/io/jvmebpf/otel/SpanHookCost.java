package io.jvmebpf.otel;

import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.spans.SpanHooks;
import io.jvmebpf.agent.spans.SpanProbe;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.internal.ExtendedSpanProcessor;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the span hook adds to a server span, with the real kernel half running (spans.bpf.c,
 * its slots mapped): an SDK server span started and ended with a processor that does nothing
 * ({@code sdkSpan}), with ours instead ({@code sdkSpanWithKernelFigures}: both reads of the thread's slot plus the
 * nine attributes the SDK stores), and the core's two hooks alone as the processor calls them
 * ({@code hooksOnly}). Run with {@code -prof gc} for the allocations per span.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanHookCost {
  private ThisJvm jvm;
  private SpanProbe probe;
  private Tracer plain;
  private Tracer withHook;
  private MethodHandle start;
  private MethodHandle end;
  private final long[] figures = new long[16];
  private long spanId;

  @Setup
  public void setUp() {
    Map<String, Object> hooks = SpanHooks.connect();
    start = (MethodHandle) hooks.get("start");
    end = (MethodHandle) hooks.get("end");
    jvm = ThisJvm.context(new ThreadRegistry());
    probe = new SpanProbe();
    probe.start(jvm.context());
    @SuppressWarnings("unchecked")
    List<String> attributes = (List<String>) hooks.get("attributes");
    // A processor that does nothing, so that the SDK records the span as it does with ours (with
    // none it hands out a span that records nothing, and the difference would not be our hook's).
    plain = SdkTracerProvider.builder().addSpanProcessor(new NothingProcessor()).build().get("bench");
    withHook = SdkTracerProvider.builder()
        .addSpanProcessor(new KernelSpanProcessor(start, end, attributes))
        .build()
        .get("bench");
  }

  @TearDown
  public void tearDown() {
    probe.close();
    jvm.close();
  }

  /** Asks for every callback ours does, and does nothing in them. */
  private static final class NothingProcessor implements ExtendedSpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return true;
    }

    @Override
    public void onEnding(ReadWriteSpan span) {}

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

  @Benchmark
  public void sdkSpan() {
    plain.spanBuilder("GET /cpu").setSpanKind(SpanKind.SERVER).startSpan().end();
  }

  @Benchmark
  public void sdkSpanWithKernelFigures() {
    withHook.spanBuilder("GET /cpu").setSpanKind(SpanKind.SERVER).startSpan().end();
  }

  @Benchmark
  public boolean hooksOnly() throws Throwable {
    long id = ++spanId;
    start.invokeExact(1L, 2L, id);
    return (boolean) end.invokeExact("GET /cpu", id, 0L, figures);
  }
}
