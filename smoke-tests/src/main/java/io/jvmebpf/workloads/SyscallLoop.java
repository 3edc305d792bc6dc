package io.jvmebpf.workloads;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.zip.CRC32;

/**
 * The measured loop of {@code bench/syscall-overhead}: after a 1 s warm-up, times N iterations on a
 * thread named {@code bench} and prints {@code ns/op=<mean>}.
 * <ul>
 *   <li>{@code write1}: one-byte write(2) to /dev/null, the cheapest syscall with a real body: the
 *       worst case for a per-syscall probe;
 *   <li>{@code write64k}: 64 KiB writes to /dev/null;
 *   <li>{@code file4k}: 4 KiB writes to a file of the temporary folder, over its first 64 MiB
 *       again and again: file I/O as a service does it, in the page cache;
 *   <li>{@code compute}: CRC32 over 4 KiB in memory, no syscalls: the probe's cost elsewhere.
 * </ul>
 * Usage: {@code SyscallLoop write1|write64k|file4k|compute N [WARMUP_SECONDS]} (warm-up 1 s by default)
 */
public final class SyscallLoop {
  private static final long FILE_BYTES = 64L << 20;

  private SyscallLoop() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    long n = Long.parseLong(args[1]);
    long warmupNanos = (long) (1e9 * (args.length > 2 ? Double.parseDouble(args[2]) : 1));
    long[] result = new long[1];
    Thread bench = new Thread(() -> result[0] = run(kind, n, warmupNanos), "bench");
    bench.start();
    bench.join();
    System.out.printf("ns/op=%.1f%n", (double) result[0] / n);
  }

  private static long run(String kind, long n, long warmupNanos) {
    File target = new File("/dev/null");
    try {
      if (kind.equals("file4k")) {
        target = File.createTempFile("jvm-ebpf-bench", ".bin");
        target.deleteOnExit();
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
    try (RandomAccessFile out = new RandomAccessFile(target, "rw")) {
      byte[] buffer = new byte[kind.equals("write64k") ? 65536 : 4096];
      CRC32 crc = new CRC32();
      // Warm-up of at least a second: JIT, page faults, and the agent's own start-up work (JFR)
      // settle before the measured loop, which then shows the steady state.
      long warmUntil = System.nanoTime() + warmupNanos;
      while (System.nanoTime() < warmUntil) {
        loop(kind, n / 20, out, buffer, crc);
      }
      long start = System.nanoTime();
      loop(kind, n, out, buffer, crc);
      long elapsed = System.nanoTime() - start;
      if (crc.getValue() == 42) {
        System.out.println(crc.getValue());
      }
      return elapsed;
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void loop(String kind, long n, RandomAccessFile out, byte[] buffer, CRC32 crc)
      throws IOException {
    for (long i = 0; i < n; i++) {
      switch (kind) {
        case "write1" -> out.write(buffer, 0, 1);
        case "write64k" -> out.write(buffer);
        case "file4k" -> {
          if (i % (FILE_BYTES / 4096) == 0) {
            out.seek(0); // counted here: getFilePointer() would be an lseek(2) per write
          }
          out.write(buffer);
        }
        case "compute" -> crc.update(buffer);
        default -> throw new IllegalArgumentException(kind);
      }
    }
  }
}
