package io.jvmebpf.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /proc/self/fdinfo/FD}: where the kernel shows a BPF program's run-time statistics and a
 * map's memory ({@code memlock}) without struct layouts that change between kernels.
 */
final class FdInfo {
  private FdInfo() {}

  static Map<String, String> read(int fd) {
    Map<String, String> fields = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new BpfException("reading /proc/self/fdinfo/" + fd, e);
    }
    return fields;
  }

  /** A numeric field, or -1 when this kernel does not show it. */
  static long longValue(Map<String, String> fields, String key) {
    String value = fields.get(key);
    return value == null ? -1 : Long.parseLong(value);
  }
}
