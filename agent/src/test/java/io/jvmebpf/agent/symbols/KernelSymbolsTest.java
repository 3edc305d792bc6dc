package io.jvmebpf.agent.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.MachineAssumptions;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running kernel's /proc/kallsyms, and small files in its format for what it may not show. */
class KernelSymbolsTest {
  @Test
  void everyTextSymbolOfThisKernelResolvesToOneOfItsNames() throws IOException {
    long started = System.nanoTime();
    KernelSymbols symbols = loaded(KernelSymbols.load());
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "kallsyms: %,d addresses loaded in %d ms, %,d bytes of heap%n",
        symbols.size(), millis, symbols.heapBytes());

    TreeMap<Long, Set<String>> text = textSymbols(Files.readAllLines(KernelSymbols.KALLSYMS));
    for (Map.Entry<Long, Set<String>> entry : text.entrySet()) {
      Frame frame = symbols.resolve(entry.getKey());
      assertNotNull(frame, "0x" + Long.toHexString(entry.getKey()));
      assertEquals(FrameKind.KERNEL, frame.kind());
      assertTrue(
          entry.getValue().contains(frame.name()), frame.name() + " not in " + entry.getValue());
    }
  }

  @Test
  void knownFunctionsResolveFromTheirStartAndFromInside() throws IOException {
    KernelSymbols symbols = loaded(KernelSymbols.load());
    TreeMap<Long, Set<String>> text = textSymbols(Files.readAllLines(KernelSymbols.KALLSYMS));
    int checked = 0;
    for (String function : List.of("do_sys_openat2", "ksys_write", "schedule")) {
      Long address = addressOf(text, function);
      if (address == null) {
        continue;
      }
      Long next = text.higherKey(address);
      assertTrue(
          next == null || Long.compareUnsigned(next, address + 4) > 0,
          function + " is 4 bytes long?");
      // The name kept for an address is one of its names; these three have no alias here.
      Set<String> names = text.get(address);
      assertTrue(names.contains(symbols.resolve(address).name()));
      assertTrue(names.contains(symbols.resolve(address + 4).name()));
      if (names.size() == 1) {
        assertEquals(new Frame(function, FrameKind.KERNEL), symbols.resolve(address + 4));
      }
      checked++;
    }
    MachineAssumptions.assume(checked > 0, "none of the chosen functions is in this kernel's kallsyms");
  }

  @Test
  void moduleSymbolsDataEndsAliasesAndPadding(@TempDir Path dir) throws IOException {
    Path kallsyms =
        Files.writeString(
            dir.resolve("kallsyms"),
            """
            ffffffff81000000 T _text
            ffffffff81000000 t startup_64
            ffffffff81000000 T srso_alias_untrain_ret
            ffffffff81000100 t __pfx_do_thing
            ffffffff81000110 t do_thing
            ffffffff81000200 W weak_one
            ffffffff81000200 T strong_one
            ffffffff81000300 D some_data
            ffffffff81000400 b bss_thing
            ffffffff81000500 B __init_begin
            ffffffff81000500 T _sinittext
            ffffffffc0002000 t mod_fn\t[mymod]
            ffffffffc0003000 d mod_data\t[mymod]
            ffffffffc0001000 T other_mod_fn\t[othermod]
            """);
    KernelSymbols symbols = loaded(KernelSymbols.load(kallsyms));
    assertEquals("srso_alias_untrain_ret", name(symbols, 0xffffffff81000000L)); // global, fewest _
    assertEquals("__pfx_do_thing", name(symbols, 0xffffffff81000104L));
    assertEquals("do_thing", name(symbols, 0xffffffff81000150L));
    assertEquals("strong_one", name(symbols, 0xffffffff81000200L)); // not weak
    assertNull(symbols.resolve(0xffffffff81000300L), "data");
    assertNull(symbols.resolve(0xffffffff81000450L), "bss");
    assertEquals("_sinittext", name(symbols, 0xffffffff81000510L)); // text beats data
    assertEquals("other_mod_fn", name(symbols, 0xffffffffc0001010L)); // listed out of order
    assertEquals("mod_fn", name(symbols, 0xffffffffc0002fffL));
    assertNull(symbols.resolve(0xffffffffc0003000L), "module data");
    assertNull(symbols.resolve(0x7f0000001000L), "user space");
    assertEquals(9, symbols.size(), "aliases and runs of data kept as one entry each");
  }

  @Test
  void zeroAddressesSayWhyKernelFramesCannotBeNamed(@TempDir Path dir) throws IOException {
    Path kallsyms =
        Files.writeString(
            dir.resolve("kallsyms"),
            """
            0000000000000000 T _text
            0000000000000000 t do_sys_openat2
            """);
    KernelSymbolsLoad load = KernelSymbols.load(kallsyms);
    KernelSymbolsLoad.Unavailable unavailable =
        assertInstanceOf(KernelSymbolsLoad.Unavailable.class, load);
    assertTrue(unavailable.reason().contains("kptr_restrict"), unavailable.reason());
    assertInstanceOf(
        KernelSymbolsLoad.Unavailable.class, KernelSymbols.load(dir.resolve("absent")));
  }

  private static String name(KernelSymbols symbols, long address) {
    Frame frame = symbols.resolve(address);
    return frame == null ? null : frame.name();
  }

  private static KernelSymbols loaded(KernelSymbolsLoad load) {
    if (load instanceof KernelSymbolsLoad.Unavailable unavailable) {
      MachineAssumptions.skip(unavailable.reason());
    }
    return ((KernelSymbolsLoad.Loaded) load).symbols();
  }

  /** Text symbols by address (unsigned order), module suffixes cut: the ground truth. */
  private static TreeMap<Long, Set<String>> textSymbols(List<String> lines) {
    TreeMap<Long, Set<String>> text = new TreeMap<>(Long::compareUnsigned);
    for (String line : lines) {
      String[] f = line.split("\\s+");
      if (f.length >= 3 && "tTwW".indexOf(f[1].charAt(0)) >= 0) {
        text.computeIfAbsent(Long.parseUnsignedLong(f[0], 16), a -> new HashSet<>()).add(f[2]);
      }
    }
    return text;
  }

  private static Long addressOf(TreeMap<Long, Set<String>> text, String name) {
    for (Map.Entry<Long, Set<String>> entry : text.entrySet()) {
      if (entry.getValue().contains(name)) {
        return entry.getKey();
      }
    }
    return null;
  }
}
