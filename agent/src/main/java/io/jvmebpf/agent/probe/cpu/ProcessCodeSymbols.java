package io.jvmebpf.agent.probe.cpu;

import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.symbols.KernelSymbols;
import io.jvmebpf.agent.symbols.KernelSymbolsLoad;
import io.jvmebpf.agent.symbols.NativeSymbols;
import java.util.List;

/**
 * This JVM's code symbolizers behind one face: kernel symbols (loaded on first use, off the
 * application's start-up path), native symbols, and the JIT code map.
 */
final class ProcessCodeSymbols implements CodeSymbols {
  private static final Frame UNKNOWN_KERNEL = new Frame("[unknown]", FrameKind.KERNEL);

  private final AgentLog log;
  private final NativeSymbols nativeSymbols = NativeSymbols.forThisProcess();
  private KernelSymbols kernelSymbols; // guarded by this
  private boolean kernelTried; // guarded by this

  private ProcessCodeSymbols(AgentLog log) {
    this.log = log;
  }

  static ProcessCodeSymbols open(AgentLog log) {
    return new ProcessCodeSymbols(log);
  }

  @Override
  public List<Frame> jit(long pc) {
    return null;
  }

  @Override
  public boolean interpreter(long pc) {
    return false;
  }

  @Override
  public Frame nativeCode(long pc) {
    return nativeSymbols.resolve(pc);
  }

  @Override
  public synchronized Frame kernel(long pc) {
    if (!kernelTried) {
      kernelTried = true;
      switch (KernelSymbols.load()) {
        case KernelSymbolsLoad.Loaded loaded -> kernelSymbols = loaded.symbols();
        case KernelSymbolsLoad.Unavailable why ->
            log.info("cpu: kernel frames are not named: " + why.reason());
      }
    }
    Frame frame = kernelSymbols == null ? null : kernelSymbols.resolve(pc);
    return frame != null ? frame : UNKNOWN_KERNEL;
  }

  @Override
  public void refresh() {}

  @Override
  public void close() {}
}
