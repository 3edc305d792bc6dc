package io.jvmebpf.agent.report;

import java.time.Instant;

/** The profiled process: {@code summary.json}'s {@code process}. */
public record ProcessInfo(long pid, String jvm, String kernel, Instant startedAt, long durationMs) {}
