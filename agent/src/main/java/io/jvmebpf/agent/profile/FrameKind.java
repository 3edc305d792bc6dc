package io.jvmebpf.agent.profile;

/**
 * What code a frame ran, which decides how writers mark and colour it: async-profiler's
 * {@code _[k]} for kernel frames in collapsed stacks, its frame types in flame graphs.
 */
public enum FrameKind {
  /** The kernel, symbolized from /proc/kallsyms. */
  KERNEL,
  /** Machine code of a shared library or the executable (libjvm, libc, JNI), or a JVM stub. */
  NATIVE,
  /** A Java method compiled by the JIT. */
  JIT,
  /** A Java method inlined by the JIT into the frame below it. */
  INLINED,
  /** A Java method run by the interpreter. */
  INTERPRETED,
  /** An address no symbol source knows. */
  UNKNOWN,
  /** The class of the objects allocated: the leaf of a heap allocation profile, not code. */
  ALLOCATED_CLASS;

  public boolean isJava() {
    return this == JIT || this == INLINED || this == INTERPRETED;
  }
}
