package io.jvmebpf.agent.spans;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread's id as the kernel gives it to this process (its PID namespace's), the key
 * of the thread's slot. A syscall: asked once per thread, when it first opens a span.
 */
final class CurrentThreadId {
  private static final MethodHandle GETTID = Linker.nativeLinker().downcallHandle(
      Linker.nativeLinker().defaultLookup().find("gettid").orElseThrow(),
      FunctionDescriptor.of(JAVA_INT));

  private CurrentThreadId() {}

  static int get() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("gettid failed", t);
    }
  }
}
