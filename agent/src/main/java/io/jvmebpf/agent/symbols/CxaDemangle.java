package io.jvmebpf.agent.symbols;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * {@code abi::__cxa_demangle} of the system {@code libstdc++.so.6}, through FFM. libjvm links
 * libstdc++ statically in most builds, so the first use loads the library (about 2 MB of shared
 * text, once per process). When it is absent, or native access is denied, {@link #UNAVAILABLE} says
 * why and {@link #demangle} returns null.
 */
final class CxaDemangle {
  static final String LIBRARY = "libstdc++.so.6";

  /** Why demangling is off, or null when it is on. */
  static final String UNAVAILABLE;

  // char* __cxa_demangle(const char* mangled, char* buffer, size_t* length, int* status)
  private static final MethodHandle cxa_demangle;
  // void free(void*): the result is malloc'd by libstdc++, freed by the C library's free.
  private static final MethodHandle free;
  private static final long MAX_RESULT = 1 << 20;

  static {
    MethodHandle demangle = null;
    MethodHandle release = null;
    String why = null;
    try {
      if (!CxaDemangle.class.getModule().isNativeAccessEnabled()) {
        // Going on would print the JDK's restricted-method warning on the host's stderr.
        throw new IllegalStateException(
            "native access is off for " + CxaDemangle.class.getModule());
      }
      Linker linker = Linker.nativeLinker();
      SymbolLookup libstdcxx = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
      demangle =
          linker.downcallHandle(
              libstdcxx
                  .find("__cxa_demangle")
                  .orElseThrow(() -> new IllegalStateException(LIBRARY + " has no __cxa_demangle")),
              FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
      release =
          linker.downcallHandle(
              linker.defaultLookup().find("free").orElseThrow(),
              FunctionDescriptor.ofVoid(ADDRESS));
    } catch (RuntimeException e) {
      why = "C++ names stay mangled: cannot use " + LIBRARY + " (" + e.getMessage() + ")";
      demangle = null; // one of the two handles alone is of no use
    }
    cxa_demangle = demangle;
    free = release;
    UNAVAILABLE = why;
  }

  private CxaDemangle() {}

  /**
   * @return the demangled name with its arguments, or null when it is not a valid C++ name
   */
  static String demangle(String mangled) {
    if (cxa_demangle == null) {
      return null;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment status = arena.allocate(JAVA_INT);
      MemorySegment result =
          (MemorySegment)
              cxa_demangle.invokeExact(
                  arena.allocateFrom(mangled), MemorySegment.NULL, MemorySegment.NULL, status);
      if (result.equals(MemorySegment.NULL)) {
        return null;
      }
      try {
        return result.reinterpret(MAX_RESULT).getString(0);
      } finally {
        free.invokeExact(result);
      }
    } catch (Error e) {
      throw e;
    } catch (Throwable t) {
      return null; // no name is worth a failure in the profiler
    }
  }
}
