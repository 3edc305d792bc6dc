package io.jvmebpf.agent.report;

import java.time.Instant;

/**
 * The profiled process: {@code summary.json}'s {@code process}.
 *
 * @param memory resident memory and heap over the session; null when {@code /proc} could not be read
 */
public record ProcessInfo(
    long pid, String jvm, String kernel, Instant startedAt, long durationMs, MemoryTimeline memory) {}
