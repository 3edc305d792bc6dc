package io.jvmebpf.agent.report;

import java.time.Instant;
import java.util.List;

/**
 * A process the JVM started, in {@code summary.json}'s {@code processes}: its command line at its
 * last exec (empty when it never exec'd), the JVM thread that forked it, and how it ended; {@code
 * exitCode} and {@code signal} are null while it still runs at the report (then {@code durationNs}
 * runs to the report), and {@code exitCode} is null when a signal ended it. {@code cpuNs} is null
 * while it runs (the kernel gives it at the exit).
 */
public record ChildProcess(
    long pid, List<String> argv, String thread, int tid, Instant startedAt, Integer exitCode,
    Integer signal, long durationNs, Long cpuNs) {}
