package io.jvmebpf.agent.probe;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.ProcessScope;

/** What every probe may use: the JVM's own scope (what every BPF program filters on) and more. */
public record ProbeContext(ProcessScope scope, AgentOptions options, AgentLog log, ThreadRegistry threads) {}
