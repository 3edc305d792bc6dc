package io.jvmebpf.workloads;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Syscalls with a known count: {@code FileOutputStream.write(byte[], int, int)} is one write(2) a call. */
final class DevNull {
  private DevNull() {}

  /** Exactly {@code writes} one-byte write(2) calls to /dev/null, or forever when negative. */
  static void write(long writes) {
    byte[] one = {1};
    try (FileOutputStream out = new FileOutputStream("/dev/null")) {
      for (long i = 0; writes < 0 || i < writes; i++) {
        out.write(one, 0, 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
