package io.jvmebpf.agent.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * The agent's settings, from {@code -javaagent:jvm-ebpf-agent.jar=key=value,...}; see
 * {@link OptionsParser} for the syntax and the README for each option.
 *
 * @param out the report folder
 * @param syscalls whether the syscalls probe runs
 * @param syscallFilter the syscall names to trace; empty means all
 * @param syscallPairs how many (thread, syscall) pairs the kernel map holds
 * @param log where log lines go: {@code stderr}, {@code none} or a file path
 * @param debug whether debug lines (libbpf's among them) are logged
 * @param bpfStats how the kernel times the agent's BPF programs for {@code agent.overhead}
 * @param cpu the CPU sampler's settings
 * @param offCpu the scheduler tracer's settings
 * @param processes whether the processes the JVM starts are followed
 * @param files the per-file I/O probe's settings
 * @param net the network probe's settings
 * @param memory the memory probe's settings
 * @param progress a file the agent rewrites every second with its counts ({@code run}'s progress
 *     line reads it), or null
 * @param jfrEvents whether the kernel's figures are offered to the JVM's own JFR recordings as
 *     {@code jvmebpf.*} events
 * @param redactArgv whether child processes' arguments are left out of the report (their program
 *     stays)
 * @param otel OTLP export and span attribution
 */
public record AgentOptions(
    Path out,
    boolean syscalls,
    Set<String> syscallFilter,
    int syscallPairs,
    String log,
    boolean debug,
    BpfStatsMode bpfStats,
    CpuOptions cpu,
    OffCpuOptions offCpu,
    boolean processes,
    FilesOptions files,
    NetOptions net,
    MemoryOptions memory,
    Path progress,
    boolean jfrEvents,
    boolean redactArgv,
    OtelOptions otel) {
  public static final int DEFAULT_SYSCALL_PAIRS = 16_384;
  public static final int MAX_SYSCALL_PAIRS = 1 << 20;

  /** {@code bpfstats=}: the kernel's run-time statistics cost two clock reads per program run. */
  public enum BpfStatsMode {
    /** On 10% of the time, scaled up: cheap, an estimate. */
    SAMPLED,
    /** Always on: exact, at the full cost. */
    ON,
    /** Never: {@code bpfRunNs} and {@code bpfRunCount} are null. */
    OFF
  }

  public AgentOptions withOtel(OtelOptions replacement) {
    return new AgentOptions(out, syscalls, syscallFilter, syscallPairs, log, debug, bpfStats, cpu, offCpu, processes,
        files, net, memory, progress, jfrEvents, redactArgv, replacement);
  }

  public static AgentOptions defaults() {
    return new AgentOptions(
        Path.of("jvm-ebpf-report"), true, Set.of(), DEFAULT_SYSCALL_PAIRS, "stderr", false,
        BpfStatsMode.SAMPLED, CpuOptions.defaults(), OffCpuOptions.defaults(), true,
        FilesOptions.defaults(), NetOptions.defaults(), MemoryOptions.defaults(), null, true, false,
        OtelOptions.defaults());
  }
}
