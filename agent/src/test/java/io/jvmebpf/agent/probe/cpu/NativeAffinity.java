package io.jvmebpf.agent.probe.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** sched_setaffinity(2) for the calling thread, through libc. */
final class NativeAffinity {
  private static final MethodHandle SET_AFFINITY = Linker.nativeLinker().downcallHandle(
      Linker.nativeLinker().defaultLookup().find("sched_setaffinity").orElseThrow(),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));

  private NativeAffinity() {}

  static void pinToCpu(int cpu) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment mask = arena.allocate(128); // cpu_set_t: 1024 bits
      mask.set(JAVA_LONG, (cpu / 64) * 8L, 1L << (cpu % 64));
      int result = (int) SET_AFFINITY.invokeExact(0, 128L, mask);
      if (result != 0) {
        throw new IllegalStateException("sched_setaffinity to CPU " + cpu + " failed");
      }
    } catch (Throwable t) {
      throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
  }
}
