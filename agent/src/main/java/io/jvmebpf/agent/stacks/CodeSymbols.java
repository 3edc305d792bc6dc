package io.jvmebpf.agent.stacks;

import io.jvmebpf.agent.profile.Frame;
import java.util.List;

/** Names code addresses of this process and of the kernel; each method answers for one kind. */
public interface CodeSymbols extends AutoCloseable {
  /** The Java frames at {@code pc} in JIT code, root first (inlined methods last), or null. */
  List<Frame> jit(long pc);

  /** Whether {@code pc} is in the interpreter, where only the JVM can tell the method. */
  boolean interpreter(long pc);

  /** The native frame at {@code pc} in a mapped file, or null when no file maps it. */
  Frame nativeCode(long pc);

  /** The kernel function at {@code pc}; never null. */
  Frame kernel(long pc);

  /** Takes in code loaded since the last call (JIT compilations, libraries). */
  void refresh();

  /**
   * Whether naming should begin: the JIT code map is up, or will not come. Stacks named before
   * would keep unnamed JIT frames.
   */
  boolean ready();

  @Override
  void close();
}
