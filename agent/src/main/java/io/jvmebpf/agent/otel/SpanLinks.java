package io.jvmebpf.agent.otel;

/** Which span each thread was in when: filled by the span hook, read when samples are exported. */
public interface SpanLinks {
  SpanLinks NONE = (tid, monotonicNs) -> null;

  /**
   * The span thread {@code tid} was in at {@code monotonicNs} (CLOCK_MONOTONIC, as
   * {@code System.nanoTime()} and {@code bpf_ktime_get_ns()} read it), or null.
   */
  SpanLink at(int tid, long monotonicNs);
}
