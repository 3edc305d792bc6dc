package io.jvmebpf.agent.probe;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.threads.ThreadRegistry;

/** What every probe may use: the JVM's own pid (the tgid every BPF program filters on) and more. */
public record ProbeContext(int tgid, AgentOptions options, AgentLog log, ThreadRegistry threads) {}
