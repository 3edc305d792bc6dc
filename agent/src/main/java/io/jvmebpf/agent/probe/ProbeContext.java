package io.jvmebpf.agent.probe;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.probe.cpu.JavaSampleIndex;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.ProcessScope;
import java.util.function.BooleanSupplier;

/**
 * What every probe may use: the JVM's own scope (what every BPF program filters on), the
 * options, the log, the thread registry, the JVM's recent Java stack samples (JFR), and whether
 * JFR is done starting (see {@code JfrEvents.started}).
 */
public record ProbeContext(
    ProcessScope scope, AgentOptions options, AgentLog log, ThreadRegistry threads,
    JavaSampleIndex javaSamples, BooleanSupplier jfrStarted) {}
