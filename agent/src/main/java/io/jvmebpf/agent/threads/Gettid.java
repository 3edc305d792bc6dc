package io.jvmebpf.agent.threads;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/** libc's {@code gettid()}: the kernel tid of the calling thread, which Java does not expose. */
final class Gettid {
  private static final MethodHandle GETTID =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("gettid").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT));

  private Gettid() {}

  static int call() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("gettid() failed", t);
    }
  }
}
