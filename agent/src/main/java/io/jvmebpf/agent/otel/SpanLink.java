package io.jvmebpf.agent.otel;

/**
 * The span a thread was in at some moment: what a profile sample links to.
 *
 * @param traceIdHigh the trace id's first 8 bytes, big-endian
 * @param traceIdLow its last 8 bytes
 * @param spanId the span id
 */
public record SpanLink(long traceIdHigh, long traceIdLow, long spanId) {}
