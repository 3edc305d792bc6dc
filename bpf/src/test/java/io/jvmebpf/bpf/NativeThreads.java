package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/** The calling thread's kernel tid, which Java does not expose. */
final class NativeThreads {
  private static final MethodHandle GETTID =
      Linker.nativeLinker().downcallHandle(
          Linker.nativeLinker().defaultLookup().find("gettid").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT));

  private NativeThreads() {}

  static int gettid() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }
}
