package io.jvmebpf.agent.stacks;

import io.jvmebpf.agent.jit.JitCodeMap;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.symbols.KernelSymbols;
import io.jvmebpf.agent.symbols.KernelSymbolsLoad;
import io.jvmebpf.agent.symbols.NativeSymbols;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * This JVM's code symbolizers behind one face: the JIT code map (Java methods, the interpreter,
 * stubs), native symbols of mapped files, kernel symbols. The JIT map and the kernel's symbols
 * start on first use, from the profiler's poll thread, off the application's start-up path.
 */
public final class ProcessCodeSymbols implements CodeSymbols {
  private static final Frame UNKNOWN_KERNEL = new Frame("[unknown]", FrameKind.KERNEL);
  /** Past this, a JFR still not started is taken for one that will not: the JIT map starts. */
  private static final long JFR_START_LIMIT_NS = 10_000_000_000L;

  private final AgentLog log;
  private final BooleanSupplier jfrStarted;
  private final long openedNs = System.nanoTime();
  private final NativeSymbols nativeSymbols = NativeSymbols.forThisProcess();
  private KernelSymbols kernelSymbols; // guarded by this
  private boolean kernelTried; // guarded by this
  private volatile JitCodeMap jit; // null until started, and when it could not be
  private boolean jitTried; // guarded by this
  private boolean closed; // guarded by this: no JVMTI started after close

  private ProcessCodeSymbols(AgentLog log, BooleanSupplier jfrStarted) {
    this.log = log;
    this.jfrStarted = jfrStarted;
  }

  /** @param jfrStarted whether JFR is done starting: the JIT map's JVMTI environment waits for it */
  public static ProcessCodeSymbols open(AgentLog log, BooleanSupplier jfrStarted) {
    return new ProcessCodeSymbols(log, jfrStarted);
  }

  @Override
  public List<Frame> jit(long pc) {
    JitCodeMap map = jit;
    if (map == null || map.isInterpreter(pc)) {
      return null;
    }
    List<Frame> frames = map.resolve(pc);
    return frames.isEmpty() || !frames.getFirst().kind().isJava() ? null : frames;
  }

  @Override
  public boolean interpreter(long pc) {
    JitCodeMap map = jit;
    return map != null && map.isInterpreter(pc);
  }

  @Override
  public Frame nativeCode(long pc) {
    JitCodeMap map = jit;
    if (map != null) {
      List<Frame> stub = map.resolve(pc); // a stub: one native frame
      if (stub.size() == 1 && stub.getFirst().kind() == FrameKind.NATIVE) {
        return stub.getFirst();
      }
    }
    return nativeSymbols.resolve(pc);
  }

  @Override
  public synchronized Frame kernel(long pc) {
    if (!kernelTried) {
      kernelTried = true;
      switch (KernelSymbols.load()) {
        case KernelSymbolsLoad.Loaded loaded -> kernelSymbols = loaded.symbols();
        case KernelSymbolsLoad.Unavailable why ->
            log.debug("kernel frames are not named: " + why.reason());
      }
    }
    Frame frame = kernelSymbols == null ? null : kernelSymbols.resolve(pc);
    return frame != null ? frame : UNKNOWN_KERNEL;
  }

  @Override
  public synchronized void refresh() {
    if (closed) {
      return;
    }
    if (!jitTried && (jfrStarted.getAsBoolean() || System.nanoTime() - openedNs > JFR_START_LIMIT_NS)) {
      jitTried = true;
      jit = startJitMap();
    }
    if (jit != null) {
      jit.drain();
    }
  }

  @Override
  public synchronized boolean ready() {
    return jitTried || closed;
  }

  /** The JIT code map, started here rather than at premain: its replay of the code cache takes time. */
  private JitCodeMap startJitMap() {
    try {
      return JitCodeMap.start();
    } catch (RuntimeException | LinkageError e) {
      log.debug("JIT-compiled frames are named from JFR only: " + e.getMessage());
      return null;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (jit != null) {
      jit.close();
    }
  }
}
