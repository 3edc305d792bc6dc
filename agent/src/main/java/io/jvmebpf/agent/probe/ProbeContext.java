package io.jvmebpf.agent.probe;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.otel.SpanLinks;
import io.jvmebpf.agent.stacks.CodeSymbols;
import io.jvmebpf.agent.stacks.JavaBlockIndex;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.stacks.JavaSocketIndex;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.agent.vthreads.VirtualThreadTable;
import io.jvmebpf.bpf.ProcessScope;

/**
 * What every probe may use: the JVM's own scope (what every BPF program filters on), the
 * options, the log, the thread registry, and what names the kernel's stacks: the process's code
 * symbols (one JIT map for all probes: it is a JVMTI environment) and the JVM's recent Java stacks
 * from JFR, sampled ({@code javaSamples}), of blocking calls ({@code javaBlocks}) and of socket
 * reads and writes ({@code javaSockets}); what virtual threads did, summed by the probes that see
 * it ({@code vthreads}); and which span each thread was in when ({@code spanLinks},
 * {@link SpanLinks#NONE} until spans exist), for linking samples to spans.
 */
public record ProbeContext(
    ProcessScope scope, AgentOptions options, AgentLog log, ThreadRegistry threads,
    CodeSymbols symbols, JavaSampleIndex javaSamples, JavaBlockIndex javaBlocks, JavaSocketIndex javaSockets,
    VirtualThreadTable vthreads, SpanLinks spanLinks) {
  /** Without spans. */
  public ProbeContext(
      ProcessScope scope, AgentOptions options, AgentLog log, ThreadRegistry threads,
      CodeSymbols symbols, JavaSampleIndex javaSamples, JavaBlockIndex javaBlocks, JavaSocketIndex javaSockets,
      VirtualThreadTable vthreads) {
    this(scope, options, log, threads, symbols, javaSamples, javaBlocks, javaSockets, vthreads, SpanLinks.NONE);
  }
}
