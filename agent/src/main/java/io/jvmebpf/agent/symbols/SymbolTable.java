package io.jvmebpf.agent.symbols;

import java.nio.charset.StandardCharsets;

/**
 * Function symbols sorted by start address, one name per address, held in primitive arrays and one
 * byte table of NUL-terminated names (no object per symbol: a kernel's 120,000 symbols or libjvm's
 * 58,000 cost a few MB, and a String is made only for a symbol that is resolved). Addresses compare
 * unsigned: kernel addresses have the top bit set. Immutable, so any thread may read it. Built by
 * {@link SymbolTableBuilder}.
 */
final class SymbolTable {
  /** A name offset meaning "no symbol from here": the end of the text before a data symbol. */
  static final int END = -1;

  /** Name offsets below this stand for {@code "__pfx_" + name at (PREFIXED - offset)}. */
  static final int PREFIXED = -2;

  static final String PFX = "__pfx_";

  static final SymbolTable EMPTY = new SymbolTable(new long[0], null, new int[0], new byte[0]);

  private final long[] starts;
  private final int[] sizes;
  private final int[] nameOffsets;
  private final byte[] names;

  /**
   * @param sizes byte sizes, 0 where unknown; null when no symbol has one (kallsyms)
   * @param nameOffsets into {@code names}, or {@link #END}, or a {@link #PREFIXED} encoding
   */
  SymbolTable(long[] starts, int[] sizes, int[] nameOffsets, byte[] names) {
    this.starts = starts;
    this.sizes = sizes;
    this.nameOffsets = nameOffsets;
    this.names = names;
  }

  int size() {
    return starts.length;
  }

  /**
   * The symbol that contains {@code address}: the last one starting at or before it, unless that
   * one has a size and the address is past its end, or is an {@link #END} mark.
   *
   * @return its index, or -1
   */
  int find(long address) {
    int low = 0;
    int high = starts.length - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (Long.compareUnsigned(starts[mid], address) <= 0) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found < 0 || nameOffsets[found] == END) {
      return -1;
    }
    if (sizes != null
        && sizes[found] > 0
        && Long.compareUnsigned(address - starts[found], sizes[found]) >= 0) {
      return -1;
    }
    return found;
  }

  long start(int index) {
    return starts[index];
  }

  String name(int index) {
    int offset = nameOffsets[index];
    if (offset <= PREFIXED) {
      return PFX + decode(PREFIXED - offset);
    }
    return decode(offset);
  }

  private String decode(int offset) {
    int end = offset;
    while (names[end] != 0) {
      end++;
    }
    return new String(names, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** The arrays' sizes with their 16-byte headers: what this table keeps on the heap. */
  long heapBytes() {
    long bytes = 16 + 8L * starts.length + 16 + 4L * nameOffsets.length + 16 + names.length;
    return sizes == null ? bytes : bytes + 16 + 4L * sizes.length;
  }
}
