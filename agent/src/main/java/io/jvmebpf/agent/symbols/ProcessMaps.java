package io.jvmebpf.agent.symbols;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mappings of a process that matter to a program counter, sorted by address: executable ones
 * (files such as libjvm, the JIT code cache, the vDSO) and anonymous or special memory of any
 * permission, so that an address in the code cache's reserved, not yet executable part is known as
 * "not a file's code" without reading maps again. Non-executable mappings of files (data, read-only
 * sections, the CDS archive) are left out. Immutable.
 */
public final class ProcessMaps {
  public static final Path SELF = Path.of("/proc/self/maps");
  static final ProcessMaps EMPTY = new ProcessMaps(List.of());

  private final Mapping[] mappings;
  private final long[] starts;

  private ProcessMaps(List<Mapping> list) {
    mappings = list.toArray(new Mapping[0]);
    starts = new long[mappings.length];
    for (int i = 0; i < mappings.length; i++) {
      starts[i] = mappings[i].start();
    }
  }

  public static ProcessMaps read(Path maps) throws IOException {
    List<Mapping> list = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(maps, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        Mapping mapping = parse(line);
        if (mapping != null && (mapping.executable() || !mapping.isFile())) {
          list.add(mapping);
        }
      }
    }
    list.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
    return new ProcessMaps(list);
  }

  /**
   * {@code 7f42144af000-7f4214605000 r-xp 00026000 fe:00 339380
   * /usr/lib/x86_64-linux-gnu/libc.so.6}, the path being everything after the spaces that follow
   * the inode (it may contain spaces).
   *
   * @return the mapping, or null for a line that is not one
   */
  static Mapping parse(String line) {
    int dash = line.indexOf('-');
    int[] fieldEnds = new int[5];
    int at = 0;
    for (int field = 0; field < 5; field++) {
      int end = line.indexOf(' ', at);
      if (end < 0) {
        end = line.length();
        if (field < 4) {
          return null;
        }
      }
      fieldEnds[field] = end;
      at = end + 1;
    }
    if (dash < 0 || dash > fieldEnds[0] || fieldEnds[1] - fieldEnds[0] != 5) {
      return null;
    }
    try {
      long start = Long.parseUnsignedLong(line, 0, dash, 16);
      long end = Long.parseUnsignedLong(line, dash + 1, fieldEnds[0], 16);
      boolean executable = line.charAt(fieldEnds[0] + 3) == 'x';
      long offset = Long.parseUnsignedLong(line, fieldEnds[1] + 1, fieldEnds[2], 16);
      String device = line.substring(fieldEnds[2] + 1, fieldEnds[3]);
      long inode = Long.parseLong(line, fieldEnds[3] + 1, fieldEnds[4], 10);
      String path = fieldEnds[4] < line.length() ? line.substring(fieldEnds[4]).strip() : "";
      return new Mapping(
          start, end, executable, offset, device, inode, path.isEmpty() ? null : path);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * @return the index of the mapping that holds {@code address}, or -1
   */
  public int find(long address) {
    int low = 0;
    int high = starts.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (Long.compareUnsigned(starts[mid], address) <= 0) {
        if (mappings[mid].contains(address)) {
          return mid;
        }
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return -1;
  }

  public Mapping get(int index) {
    return mappings[index];
  }

  public int size() {
    return mappings.length;
  }
}
