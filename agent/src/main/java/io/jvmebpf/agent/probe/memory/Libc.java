package io.jvmebpf.agent.probe.memory;

import io.jvmebpf.agent.symbols.Mapping;
import io.jvmebpf.agent.symbols.ProcessMaps;
import java.io.IOException;

/** The C library the JVM runs on, as the process maps it: where its allocator's uprobes go. */
final class Libc {
  private Libc() {}

  /**
   * The path of the first executable mapping of glibc ({@code libc.so.6}, or an older
   * {@code libc-2.x.so}) or musl ({@code ld-musl-*.so.1}, which holds musl's malloc).
   *
   * @throws IllegalStateException naming what was looked for when none is mapped
   */
  static String path() {
    ProcessMaps maps;
    try {
      maps = ProcessMaps.read(ProcessMaps.SELF);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + ProcessMaps.SELF + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < maps.size(); i++) {
      Mapping mapping = maps.get(i);
      if (mapping.executable() && mapping.isFile() && !mapping.isDeleted() && isLibc(mapping.fileName())) {
        return mapping.path();
      }
    }
    throw new IllegalStateException("no C library (libc.so.6, ld-musl) is mapped in this process");
  }

  static boolean isLibc(String fileName) {
    return fileName.equals("libc.so.6") || fileName.startsWith("libc-") && fileName.endsWith(".so")
        || fileName.startsWith("ld-musl-");
  }
}
