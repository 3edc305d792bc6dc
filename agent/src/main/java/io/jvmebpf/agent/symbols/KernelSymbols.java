package io.jvmebpf.agent.symbols;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernel addresses to function names, from {@code /proc/kallsyms} read once. Text symbols ({@code t
 * T w W}) are kept; a data symbol only marks where the text before it ends. A module's symbol
 * ({@code name [module]}) is kept by its name alone. kallsyms gives no sizes: an address belongs to
 * the last symbol at or before it.
 *
 * <p>Cost, measured on kernel 6.18 (122,058 text symbols, half of them {@code __pfx_} padding, so
 * 121,832 addresses once aliases are merged): the table is 2.93 MB of heap (a {@code long} and an
 * {@code int} per address, 1.46 MB; names 1.47 MB, each {@code __pfx_} name stored as a reference
 * to the function it pads); the 64k-slot frame cache adds 0.77 MB of slots plus one {@link Frame}
 * per cached address (3.72 MB retained in all, by GC-delta measurement). Loading takes about 300 ms
 * in a fresh JVM and 90 ms warm, 35 ms of which is the kernel formatting the 5.4 MB file. A resolve
 * not in the cache takes about 0.4 us. Safe for any thread: the table is immutable, the cache
 * locked.
 */
public final class KernelSymbols {
  public static final Path KALLSYMS = Path.of("/proc/kallsyms");

  /** Far above any kernel (a distro kernel with its modules loaded lists about 300,000). */
  static final int MAX_SYMBOLS = 1 << 21;

  private static final int CACHE_BITS = 16;
  private static final int MAX_LINE = 1024; // a name is at most 512 bytes (KSYM_NAME_LEN)

  private final SymbolTable table;
  private final PcCache cache = new PcCache(CACHE_BITS);

  private KernelSymbols(SymbolTable table) {
    this.table = table;
  }

  public static KernelSymbolsLoad load() {
    return load(KALLSYMS);
  }

  public static KernelSymbolsLoad load(Path kallsyms) {
    SymbolTableBuilder builder = new SymbolTableBuilder(MAX_SYMBOLS);
    LineParser parser = new LineParser(builder);
    try (InputStream in = Files.newInputStream(kallsyms)) {
      parser.parse(in);
    } catch (IOException e) {
      return new KernelSymbolsLoad.Unavailable("cannot read " + kallsyms + " (" + e + ")");
    }
    if (parser.lines == 0) {
      return new KernelSymbolsLoad.Unavailable(kallsyms + " lists no symbols");
    }
    if (!parser.anyAddress) {
      return new KernelSymbolsLoad.Unavailable(
          kallsyms
              + " shows every address as 0: kernel.kptr_restrict is "
              + kptrRestrict()
              + " and the process lacks CAP_SYSLOG, so kernel frames cannot be named");
    }
    return new KernelSymbolsLoad.Loaded(new KernelSymbols(builder.build()));
  }

  /**
   * @return the function that contains {@code address}, or null when no text symbol does
   */
  public Frame resolve(long address) {
    synchronized (cache) {
      Frame cached = cache.get(address);
      if (cached != null) {
        return cached == PcCache.NO_FRAME ? null : cached;
      }
      int index = table.find(address);
      Frame frame = index < 0 ? null : new Frame(table.name(index), FrameKind.KERNEL);
      cache.put(address, frame);
      return frame;
    }
  }

  /** Distinct addresses in the table, end marks included. */
  public int size() {
    return table.size();
  }

  /** The table's heap (the frame cache not included). */
  public long heapBytes() {
    return table.heapBytes();
  }

  private static String kptrRestrict() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/kptr_restrict")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** {@code ffffffff816b52b0 t do_sys_openat2} or {@code ... t name\t[module]}, per line. */
  private static final class LineParser {
    private final SymbolTableBuilder builder;
    private final byte[] line = new byte[MAX_LINE];
    private int length;
    int lines;
    boolean anyAddress;

    LineParser(SymbolTableBuilder builder) {
      this.builder = builder;
    }

    void parse(InputStream in) throws IOException {
      byte[] buffer = new byte[65_536];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            line(length);
            length = 0;
          } else if (length < MAX_LINE) {
            line[length++] = b;
          }
        }
      }
      if (length > 0) {
        line(length);
      }
    }

    private void line(int end) {
      long address = 0;
      int i = 0;
      for (; i < end && line[i] != ' '; i++) {
        int digit = Character.digit(line[i], 16);
        if (digit < 0) {
          return;
        }
        address = address << 4 | digit;
      }
      // Then " T name", the name ending at the tab before "[module]" or at the line's end.
      if (i == 0 || i + 3 >= end) {
        return;
      }
      lines++;
      anyAddress |= address != 0;
      byte type = line[i + 1];
      int nameStart = i + 3;
      int nameEnd = nameStart;
      while (nameEnd < end && line[nameEnd] != '\t' && line[nameEnd] != ' ') {
        nameEnd++;
      }
      byte binding =
          switch (type) {
            case 'T' -> SymbolTableBuilder.GLOBAL;
            case 't' -> SymbolTableBuilder.LOCAL;
            case 'W', 'w' -> SymbolTableBuilder.WEAK;
            default -> -1; // data: the text before it ends here
          };
      if (binding < 0) {
        builder.addEnd(address);
      } else {
        builder.add(address, 0, binding, line, nameStart, nameEnd - nameStart);
      }
    }
  }
}
