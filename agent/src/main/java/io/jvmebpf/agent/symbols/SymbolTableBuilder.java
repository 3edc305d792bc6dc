package io.jvmebpf.agent.symbols;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Collects symbols in any order (kallsyms lists modules after the core kernel, an ELF file lists
 * locals before globals) and builds a {@link SymbolTable}: sorted, one name per address, names
 * packed. Not thread-safe; one builder per table.
 *
 * <p>Where several names share an address (libc's {@code write} and {@code __write}, the kernel's
 * {@code _text} and {@code _stext}), the one kept is the one perf's {@code choose_best_symbol}
 * would show: a symbol with a size, then a non-weak one, then a global one, then the one with fewer
 * leading underscores, then the longer name.
 */
final class SymbolTableBuilder {
  static final byte LOCAL = 0;
  static final byte GLOBAL = 1;
  static final byte WEAK = 2;
  private static final byte[] PFX = SymbolTable.PFX.getBytes(StandardCharsets.US_ASCII);

  private final int maxSymbols;
  private long[] addresses = new long[4096];
  private long[] sizes = new long[4096];
  private int[] nameOffsets = new int[4096];
  private byte[] bindings = new byte[4096];
  private byte[] names = new byte[65_536];
  private int count;
  private int namesLength;
  private int dropped;

  /**
   * @param maxSymbols past this many entries, further ones are counted in {@link #dropped()}
   */
  SymbolTableBuilder(int maxSymbols) {
    this.maxSymbols = maxSymbols;
  }

  /** A function named by {@code name[from, from + length)}; size 0 when unknown. */
  void add(long address, long size, byte binding, byte[] name, int from, int length) {
    if (!reserve()) {
      return;
    }
    if (namesLength + length + 1 > names.length) {
      names = Arrays.copyOf(names, Math.max(names.length * 2, namesLength + length + 1));
    }
    System.arraycopy(name, from, names, namesLength, length);
    names[namesLength + length] = 0;
    put(address, size, binding, namesLength);
    namesLength += length + 1;
  }

  /** The end of the text before it: an address here or after belongs to no earlier symbol. */
  void addEnd(long address) {
    if (reserve()) {
      put(address, 0, LOCAL, SymbolTable.END);
    }
  }

  int dropped() {
    return dropped;
  }

  private boolean reserve() {
    if (count == maxSymbols) {
      dropped++;
      return false;
    }
    if (count == addresses.length) {
      int grown = (int) Math.min((long) count * 2, maxSymbols);
      addresses = Arrays.copyOf(addresses, grown);
      sizes = Arrays.copyOf(sizes, grown);
      nameOffsets = Arrays.copyOf(nameOffsets, grown);
      bindings = Arrays.copyOf(bindings, grown);
    }
    return true;
  }

  private void put(long address, long size, byte binding, int nameOffset) {
    addresses[count] = address;
    sizes[count] = size;
    bindings[count] = binding;
    nameOffsets[count] = nameOffset;
    count++;
  }

  SymbolTable build() {
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    Comparator<Integer> byAddress = (a, b) -> Long.compareUnsigned(addresses[a], addresses[b]);
    Arrays.sort(order, byAddress.thenComparing(this::better));

    int[] kept = new int[count];
    int keptCount = 0;
    for (int i = 0; i < count; i++) {
      int entry = order[i];
      boolean sameAddress = i > 0 && addresses[order[i - 1]] == addresses[entry];
      if (sameAddress) {
        continue; // the best of this address came first
      }
      if (nameOffsets[entry] == SymbolTable.END
          && (keptCount == 0 || nameOffsets[kept[keptCount - 1]] == SymbolTable.END)) {
        continue; // a run of ends, or an end before any symbol, says nothing more than one
      }
      kept[keptCount++] = entry;
    }
    return pack(kept, keptCount);
  }

  /**
   * The kept entries in their final arrays. A kernel's {@code __pfx_foo} (the padding before {@code
   * foo}, half of a 6.x kallsyms) is stored as a reference to the next name, which saves about 1.5
   * MB on a 120,000-symbol kernel.
   */
  private SymbolTable pack(int[] kept, int keptCount) {
    long[] starts = new long[keptCount];
    int[] offsets = new int[keptCount];
    int[] packedSizes = null;
    byte[] packedNames = new byte[namesLength];
    int length = 0;
    for (int k = 0; k < keptCount; k++) {
      int entry = kept[k];
      starts[k] = addresses[entry];
      if (sizes[entry] > 0) {
        if (packedSizes == null) {
          packedSizes = new int[keptCount];
        }
        packedSizes[k] = (int) Math.min(sizes[entry], Integer.MAX_VALUE);
      }
      int offset = nameOffsets[entry];
      if (offset == SymbolTable.END) {
        offsets[k] = SymbolTable.END;
      } else if (k + 1 < keptCount && isPrefixOf(offset, nameOffsets[kept[k + 1]])) {
        offsets[k] = Integer.MIN_VALUE; // set once the next name has its place
      } else {
        int end = nameEnd(offset);
        System.arraycopy(names, offset, packedNames, length, end - offset + 1);
        offsets[k] = length;
        length += end - offset + 1;
      }
      if (k > 0 && offsets[k - 1] == Integer.MIN_VALUE) {
        offsets[k - 1] = SymbolTable.PREFIXED - offsets[k];
      }
    }
    return new SymbolTable(starts, packedSizes, offsets, Arrays.copyOf(packedNames, length));
  }

  /** Whether the name at {@code pfx} is {@code "__pfx_"} followed by the name at {@code name}. */
  private boolean isPrefixOf(int pfx, int name) {
    if (name < 0 || !startsWithPfx(pfx) || startsWithPfx(name)) {
      return false; // the second test keeps references one level deep
    }
    int i = 0;
    while (names[pfx + PFX.length + i] == names[name + i]) {
      if (names[name + i] == 0) {
        return true;
      }
      i++;
    }
    return false;
  }

  private boolean startsWithPfx(int offset) {
    for (int i = 0; i < PFX.length; i++) {
      if (names[offset + i] != PFX[i]) {
        return false; // also at the name's NUL
      }
    }
    return true;
  }

  /** Negative when entry {@code a} should be the name of their shared address, not {@code b}. */
  private int better(int a, int b) {
    int c = Boolean.compare(nameOffsets[a] == SymbolTable.END, nameOffsets[b] == SymbolTable.END);
    if (c != 0 || nameOffsets[a] == SymbolTable.END) {
      return c;
    }
    c = Boolean.compare(sizes[b] > 0, sizes[a] > 0);
    if (c == 0) {
      c = Boolean.compare(bindings[a] == WEAK, bindings[b] == WEAK);
    }
    if (c == 0) {
      c = Boolean.compare(bindings[b] == GLOBAL, bindings[a] == GLOBAL);
    }
    if (c == 0) {
      c = Integer.compare(underscores(nameOffsets[a]), underscores(nameOffsets[b]));
    }
    if (c == 0) {
      c = Integer.compare(nameLength(b), nameLength(a));
    }
    return c != 0 ? c : Integer.compare(a, b);
  }

  private int nameLength(int entry) {
    return nameEnd(nameOffsets[entry]) - nameOffsets[entry];
  }

  private int underscores(int offset) {
    int n = 0;
    while (names[offset + n] == '_') {
      n++;
    }
    return n;
  }

  private int nameEnd(int offset) {
    int end = offset;
    while (names[end] != 0) {
      end++;
    }
    return end;
  }
}
