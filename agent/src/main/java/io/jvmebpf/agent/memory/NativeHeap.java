package io.jvmebpf.agent.memory;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * glibc's {@code malloc_trim(0)}, run when a session stops in a JVM that runs on. What the session
 * malloc'd (libbpf loading objects, the demangler, the JVM for the JIT map's replay) is freed by
 * then, but into the malloc arena of whichever of its threads allocated it, and glibc keeps freed
 * memory in its arenas: the attach/stop soak saw the JVM's RSS grow 4-5 MB per cycle until every
 * arena had held a session's peak (MALLOC_ARENA_MAX=1 made it flat). Trimming hands those pages
 * back. Without glibc (musl has no malloc_trim) it does nothing.
 */
public final class NativeHeap {
  private static final MethodHandle MALLOC_TRIM = find();

  private NativeHeap() {}

  private static MethodHandle find() {
    try {
      Linker linker = Linker.nativeLinker();
      return linker.defaultLookup().find("malloc_trim")
          .map(address -> linker.downcallHandle(address, FunctionDescriptor.of(JAVA_INT, JAVA_LONG)))
          .orElse(null);
    } catch (RuntimeException | LinkageError e) {
      return null; // no native access: nothing was malloc'd through FFM either
    }
  }

  /** Returns free memory of every malloc arena to the system; false when none could be, or no glibc. */
  public static boolean trim() {
    if (MALLOC_TRIM == null) {
      return false;
    }
    try {
      return (int) MALLOC_TRIM.invokeExact(0L) == 1;
    } catch (Throwable e) {
      return false;
    }
  }
}
