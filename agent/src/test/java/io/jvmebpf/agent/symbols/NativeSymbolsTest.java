package io.jvmebpf.agent.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.MachineAssumptions;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Addresses of this JVM's own code, as the dynamic linker loaded it, back to their names. */
class NativeSymbolsTest {
  private static final long HOUR = 3_600_000_000_000L;

  @Test
  void libcWriteAndGetpidResolveToTheirNameOrAnAliasAtTheSameAddress() throws IOException {
    NativeSymbols symbols = NativeSymbols.forThisProcess();
    for (String function : List.of("write", "getpid")) {
      long address = ThisProcess.libc(function);
      Set<String> names = namesAtTheSameAddress(address, function);
      for (long pc : new long[] {address, address + 1}) {
        Frame frame = symbols.resolve(pc);
        assertNotNull(frame, function);
        assertEquals(FrameKind.NATIVE, frame.kind());
        assertTrue(names.contains(frame.name()), frame.name() + " is not one of " + names);
      }
    }
  }

  @Test
  void libjvmsExportedAndCxxFunctionsResolveDemangled() throws IOException {
    NativeSymbols symbols = NativeSymbols.forThisProcess();
    long createVm = ThisProcess.libjvm("JNI_CreateJavaVM");
    assertEquals(new Frame("JNI_CreateJavaVM", FrameKind.NATIVE), symbols.resolve(createVm));
    assertEquals(new Frame("JNI_CreateJavaVM", FrameKind.NATIVE), symbols.resolve(createVm + 7));

    // A local C++ function of .symtab, which dlsym cannot find: placed by libjvm's load bias.
    MachineAssumptions.assume(Binutils.has("readelf"), "readelf (binutils) is not installed: no ground truth");
    List<Binutils.ElfSymbol> functions = Binutils.functions(ThisProcess.LIBJVM);
    long bias = createVm - valueOf(functions, "JNI_CreateJavaVM");
    String mangled = "_ZN10JavaThread17thread_main_innerEv";
    MachineAssumptions.assume(
        functions.stream().anyMatch(f -> f.name().equals(mangled)),
        "this libjvm has no .symtab with " + mangled);
    long threadMainInner = bias + valueOf(functions, mangled);
    assertEquals(
        new Frame("JavaThread::thread_main_inner", FrameKind.NATIVE),
        symbols.resolve(threadMainInner));
    assertEquals(
        new Frame("JavaThread::thread_main_inner", FrameKind.NATIVE),
        symbols.resolve(threadMainInner + 3));
    assertEquals(1, symbols.librariesParsed(), "libjvm parsed once");
  }

  @Test
  void jitCodeAndAnonymousMemoryAreNotMineAndNeedNoNewReadOfMaps() {
    NativeSymbols symbols = NativeSymbols.forThisProcess();
    try (Arena arena = Arena.ofConfined()) {
      // An upcall stub is machine code the JVM generates into its code cache.
      MemorySegment stub =
          Linker.nativeLinker()
              .upcallStub(
                  MethodHandles.empty(MethodType.methodType(void.class)),
                  FunctionDescriptor.ofVoid(),
                  arena);
      MemorySegment data = arena.allocate(4096);
      symbols.resolve(stub.address()); // the code cache may have grown since maps was read
      int reads = symbols.mapsReads();
      assertNull(symbols.resolve(stub.address()));
      assertNull(symbols.resolve(stub.address() + 1));
      assertNull(symbols.resolve(data.address()));
      assertEquals(reads, symbols.mapsReads());
    }
    assertNull(symbols.resolve(0xffffffff81000000L), "a kernel address");
    assertNull(symbols.resolve(0));
  }

  @Test
  void aLibraryLoadedAfterMapsWasReadIsFoundOnTheNextRead() {
    NativeSymbols symbols = new NativeSymbols(ProcessMaps.SELF, 0);
    Exported function = loadNew();
    assertEquals(1, symbols.mapsReads());
    Frame frame = symbols.resolve(function.address());
    assertEquals(new Frame(function.name(), FrameKind.NATIVE), frame);
    assertEquals(2, symbols.mapsReads());
    assertSame(frame, symbols.resolve(function.address()), "cached");
    assertEquals(0, symbols.misses());
  }

  @Test
  void mapsIsReadAgainAtMostOncePerIntervalAndMissesAreCounted() {
    NativeSymbols symbols = new NativeSymbols(ProcessMaps.SELF, HOUR);
    Exported function = loadNew();
    assertNull(symbols.resolve(function.address()));
    assertNull(symbols.resolve(function.address()));
    assertEquals(1, symbols.mapsReads());
    assertEquals(2, symbols.misses());
  }

  @Test
  void anAddressInALibraryThatNoSymbolCoversIsNamedAfterTheLibrary() throws IOException {
    NativeSymbols symbols = NativeSymbols.forThisProcess();
    // The first bytes of libc's executable mapping: its PLT, ahead of any function.
    Mapping libc = ThisProcess.mappingOf(ThisProcess.libc("write"));
    MachineAssumptions.assume(Binutils.has("readelf"), "readelf (binutils) is not installed: no ground truth");
    try (ElfFile elf = ElfFile.open(Path.of(libc.path()))) {
      long first = elf.virtualAddress(libc.offset());
      MachineAssumptions.assume(
          Binutils.functions(Path.of(libc.path())).stream().allMatch(f -> f.value() > first),
          "this libc has a function at the start of its text");
    }
    assertEquals(
        new Frame("[" + libc.fileName() + "]", FrameKind.NATIVE), symbols.resolve(libc.start()));
  }

  /** A function exported by a library: its name and where dlsym found it. */
  private record Exported(String name, long address) {}

  /**
   * Loads the first of a few common libraries that this JVM has not loaded yet (libbpf, loaded by
   * other tests, brings libz and libelf), and returns one of its functions with no alias.
   */
  private static Exported loadNew() {
    String[][] candidates = {
      {"libz.so.1", "crc32"},
      {"liblzma.so.5", "lzma_version_string"},
      {"libbz2.so.1.0", "BZ2_bzlibVersion"},
      {"libexpat.so.1", "XML_ExpatVersion"},
      {"libffi.so.8", "ffi_call"},
    };
    String maps = readMaps();
    for (String[] candidate : candidates) {
      if (maps.contains("/" + candidate[0])) {
        continue;
      }
      try {
        SymbolLookup library = SymbolLookup.libraryLookup(candidate[0], Arena.global());
        return new Exported(candidate[1], library.find(candidate[1]).orElseThrow().address());
      } catch (IllegalArgumentException e) {
        continue; // not installed
      }
    }
    MachineAssumptions.skip("every candidate library is loaded already or absent");
    throw new AssertionError();
  }

  private static String readMaps() {
    try {
      return java.nio.file.Files.readString(ProcessMaps.SELF);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Names of the file's functions at the same address as {@code name}, from its ELF tables. */
  private static Set<String> namesAtTheSameAddress(long address, String name) throws IOException {
    Mapping mapping = ThisProcess.mappingOf(address);
    try (ElfFile elf = ElfFile.open(Path.of(mapping.path()))) {
      SymbolTable table = elf.functionSymbols(LibraryCache.MAX_SYMBOLS_PER_FILE);
      long value = elf.virtualAddress(address - mapping.start() + mapping.offset());
      int index = table.find(value);
      assertEquals(value, table.start(index), name + " starts a symbol");
      Set<String> names = new HashSet<>(List.of(name, table.name(index)));
      if (Binutils.has("readelf")) {
        names =
            Binutils.functions(Path.of(mapping.path())).stream()
                .filter(f -> f.value() == value)
                .map(Binutils.ElfSymbol::name)
                .collect(Collectors.toSet());
        assertTrue(names.contains(name), name + " at 0x" + Long.toHexString(value) + ": " + names);
      }
      return names;
    }
  }

  private static long valueOf(List<Binutils.ElfSymbol> functions, String name) {
    return functions.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().value();
  }
}
