package io.jvmebpf.agent.symbols;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;

/** Real addresses in the test's own JVM, found the way the dynamic linker finds them. */
final class ThisProcess {
  static final Path LIBJVM = Path.of(System.getProperty("java.home"), "lib/server/libjvm.so");

  private ThisProcess() {}

  /** Where libc's {@code name} is loaded, through the linker's default lookup (dlsym). */
  static long libc(String name) {
    return Linker.nativeLinker().defaultLookup().find(name).orElseThrow().address();
  }

  /** Where libjvm's exported {@code name} is loaded (dlopen of the loaded libjvm, then dlsym). */
  static long libjvm(String name) {
    return SymbolLookup.libraryLookup(LIBJVM, Arena.global()).find(name).orElseThrow().address();
  }

  /** The mapping that holds {@code address}, from /proc/self/maps read now. */
  static Mapping mappingOf(long address) throws IOException {
    ProcessMaps maps = ProcessMaps.read(ProcessMaps.SELF);
    int index = maps.find(address);
    if (index < 0) {
      throw new AssertionError("no mapping holds 0x" + Long.toHexString(address));
    }
    return maps.get(index);
  }
}
