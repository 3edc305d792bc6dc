package io.jvmebpf.agent.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.MachineAssumptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ELF reader against readelf, on the libc and libjvm this test runs on. */
class ElfFileTest {
  @Test
  void buildIdsAreReadelfs() throws IOException {
    MachineAssumptions.assume(Binutils.has("readelf"), "readelf (binutils) is not installed: no ground truth");
    for (Path file : List.of(libc(), ThisProcess.LIBJVM)) {
      String expected = Binutils.buildId(file);
      MachineAssumptions.assume(expected != null, file + " has no build-id");
      try (ElfFile elf = ElfFile.open(file)) {
        assertEquals(expected, elf.buildId(), file.toString());
      }
    }
  }

  @Test
  void everyLibcFunctionIsFoundAtItsAddressUnderOneOfItsNames() throws IOException {
    assertEveryFunctionFound(libc());
  }

  @Test
  void everyLibjvmFunctionIsFoundAtItsAddressUnderOneOfItsNames() throws IOException {
    long started = System.nanoTime();
    SymbolTable table;
    try (ElfFile elf = ElfFile.open(ThisProcess.LIBJVM)) {
      table = elf.functionSymbols(LibraryCache.MAX_SYMBOLS_PER_FILE);
    }
    System.out.printf(
        "libjvm: %,d function addresses parsed in %d ms, %,d bytes of heap%n",
        table.size(), (System.nanoTime() - started) / 1_000_000, table.heapBytes());
    assertEveryFunctionFound(ThisProcess.LIBJVM);
  }

  @Test
  void offsetsInTheExecutableSegmentBecomeItsAddresses() throws IOException {
    try (ElfFile elf = ElfFile.open(ThisProcess.LIBJVM)) {
      LoadSegment text =
          elf.loadSegments().stream().filter(LoadSegment::executable).findFirst().orElseThrow();
      assertEquals(text.virtualAddress() + 16, elf.virtualAddress(text.offset() + 16));
    }
    // A segment whose address differs from its offset, as linkers may lay them out.
    List<LoadSegment> loads =
        List.of(
            new LoadSegment(0, 0, 0x800, 0x800, 4),
            new LoadSegment(0x1200, 0x201200, 0x500, 0x500, 5));
    assertEquals(0x201300, LoadSegment.virtualAddress(loads, 0x1300));
    assertEquals(0x201000, LoadSegment.virtualAddress(loads, 0x1000)); // the segment's first page
    assertEquals(-1, LoadSegment.virtualAddress(loads, 0x1700));
  }

  @Test
  void aFileThatIsNotElfIsAnIoException(@TempDir Path dir) throws IOException {
    Path text =
        Files.writeString(
            dir.resolve("not-elf.so"), "just text, long enough to hold an ELF header".repeat(3));
    assertThrows(IOException.class, () -> ElfFile.open(text));
    Path truncated = dir.resolve("truncated.so");
    Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(libc()), 4096));
    assertThrows(
        IOException.class,
        () -> {
          try (ElfFile elf = ElfFile.open(truncated)) {
            elf.functionSymbols(1000);
          }
        });
  }

  private static Path libc() throws IOException {
    return Path.of(ThisProcess.mappingOf(ThisProcess.libc("write")).path());
  }

  /**
   * Every defined function readelf lists is found by its address, the start found is that address,
   * and the name kept there is one of the names readelf gives that address.
   */
  private static void assertEveryFunctionFound(Path file) throws IOException {
    MachineAssumptions.assume(Binutils.has("readelf"), "readelf (binutils) is not installed: no ground truth");
    List<Binutils.ElfSymbol> expected = Binutils.functions(file);
    assertTrue(expected.size() > 100, "readelf lists " + expected.size() + " functions in " + file);
    Map<Long, Set<String>> namesAt = new HashMap<>();
    for (Binutils.ElfSymbol symbol : expected) {
      namesAt.computeIfAbsent(symbol.value(), v -> new HashSet<>()).add(symbol.name());
    }
    SymbolTable table;
    try (ElfFile elf = ElfFile.open(file)) {
      table = elf.functionSymbols(LibraryCache.MAX_SYMBOLS_PER_FILE);
    }
    assertEquals(namesAt.size(), table.size(), "distinct function addresses in " + file);
    for (Binutils.ElfSymbol symbol : expected) {
      int index = table.find(symbol.value());
      assertTrue(index >= 0, symbol + " not found");
      assertEquals(symbol.value(), table.start(index), symbol.toString());
      assertTrue(
          namesAt.get(symbol.value()).contains(table.name(index)),
          table.name(index) + " is not a name of " + symbol);
    }
  }
}
