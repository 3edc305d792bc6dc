package io.jvmebpf.agent.probe;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.stacks.CodeSymbols;
import io.jvmebpf.agent.stacks.JavaBlockIndex;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.stacks.JavaSocketIndex;
import io.jvmebpf.agent.stacks.ProcessCodeSymbols;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.ProcessScope;

/**
 * A probe context for this test JVM, as the session builds one, with JFR taken as started (the
 * JIT map starts at the first poll); closing it closes the shared code symbols.
 */
public record ThisJvm(ProbeContext context) implements AutoCloseable {
  public static ThisJvm context(ThreadRegistry threads, JavaSampleIndex javaSamples, JavaBlockIndex javaBlocks) {
    CodeSymbols symbols = ProcessCodeSymbols.open(AgentLog.stderr(), () -> true);
    return new ThisJvm(new ProbeContext(ProcessScope.ofThisProcess(), AgentOptions.defaults(), AgentLog.stderr(),
        threads, symbols, javaSamples, javaBlocks, new JavaSocketIndex(),
        new io.jvmebpf.agent.vthreads.VirtualThreadTable()));
  }

  public static ThisJvm context(ThreadRegistry threads) {
    return context(threads, new JavaSampleIndex(), new JavaBlockIndex());
  }

  @Override
  public void close() {
    context.symbols().close();
  }
}
