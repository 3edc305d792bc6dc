package io.jvmebpf.agent.symbols;

import java.util.List;

/**
 * One {@code PT_LOAD} program header: file bytes {@code [offset, offset + fileSize)} are mapped at
 * virtual address {@code virtualAddress} (before the loader's bias). What turns an offset in a
 * mapped file, which /proc/self/maps gives, into the address symbols are stated in.
 *
 * @param flags {@code PF_X} 1, {@code PF_W} 2, {@code PF_R} 4
 */
public record LoadSegment(
    long offset, long virtualAddress, long fileSize, long memorySize, int flags) {
  static final int PF_X = 1;

  /** The smallest page: a mapping starts at the page that holds the segment's first byte. */
  private static final long PAGE = 4096;

  public boolean executable() {
    return (flags & PF_X) != 0;
  }

  /**
   * The virtual address of a file offset, through the segment whose pages hold it (an executable
   * one first: that is where sampled code is).
   *
   * @return the address, or -1 when no segment maps that offset
   */
  public static long virtualAddress(List<LoadSegment> loads, long fileOffset) {
    for (int pass = 0; pass < 2; pass++) {
      for (LoadSegment load : loads) {
        if (load.executable() == (pass == 0) && load.holds(fileOffset)) {
          return fileOffset - load.offset + load.virtualAddress;
        }
      }
    }
    return -1;
  }

  private boolean holds(long fileOffset) {
    long firstPage = offset & -PAGE;
    return fileOffset >= firstPage && fileOffset < offset + fileSize;
  }
}
