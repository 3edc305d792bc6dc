package io.jvmebpf.workloads;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Known answers for the per-file I/O probe.
 * <ul>
 *   <li>{@code FileIoWorkload}: a thread named {@code filer} writes exactly 3 MiB to a new temp file
 *       in 4 KiB writes ({@code FileOutputStream.write(byte[])}: one write(2) each, a regular file
 *       takes it whole), syncs once ({@code FileDescriptor.sync()}: fsync(2)), closes it, then reads
 *       it back in 4 KiB reads ({@code FileInputStream.read(byte[])}: one read(2) each, the last
 *       returning 0 at the end). Prints {@code path <file>}.
 *   <li>{@code FileIoWorkload attach N}: opens a new temp file, prints {@code path <file>} and
 *       {@code waiting for input}, waits for a line on stdin (a test attaches the agent meanwhile),
 *       then writes N bytes to the file opened before, in 1 KiB writes and a remainder.
 * </ul>
 * The file is deleted at exit; each mode prints {@code done} and exits 300 ms after its I/O.
 */
public final class FileIoWorkload {
  static final int CHUNK = 4096;
  static final int TOTAL = 3 << 20;

  private FileIoWorkload() {}

  public static void main(String[] args) throws Exception {
    Path file = Files.createTempFile("jvm-ebpf-fileio-", ".bin");
    file.toFile().deleteOnExit();
    if (args.length > 0 && args[0].equals("attach")) {
      attachThenWrite(file, Long.parseLong(args[1]));
    } else {
      Thread filer = new Thread(() -> writeThenRead(file), "filer");
      filer.start();
      filer.join();
      System.out.println("path " + file);
    }
    System.out.println("done");
    Thread.sleep(300);
  }

  private static void writeThenRead(Path file) {
    byte[] chunk = new byte[CHUNK];
    try {
      try (FileOutputStream out = new FileOutputStream(file.toFile())) {
        for (int written = 0; written < TOTAL; written += CHUNK) {
          out.write(chunk);
        }
        out.getFD().sync();
      }
      long read = 0;
      try (FileInputStream in = new FileInputStream(file.toFile())) {
        for (int n; (n = in.read(chunk)) > 0; ) {
          read += n;
        }
      }
      if (read != TOTAL) {
        throw new IllegalStateException("read " + read + " bytes back, wrote " + TOTAL);
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void attachThenWrite(Path file, long bytes) throws IOException {
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      System.out.println("path " + file);
      System.out.println("waiting for input");
      new BufferedReader(new InputStreamReader(System.in)).readLine();
      byte[] chunk = new byte[1024];
      for (long left = bytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
  }
}
