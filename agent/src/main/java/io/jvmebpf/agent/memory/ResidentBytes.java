package io.jvmebpf.agent.memory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;

/**
 * VmRSS of {@code /proc/self/status}, read again and again through one open file into one buffer:
 * nothing is allocated per read (a read of at most 8 KiB goes through the JDK's stack buffer, and
 * a read from offset 0 makes the kernel generate the file anew). VmRSS is in kB, so no page size
 * is needed, as {@code statm}'s pages would.
 */
final class ResidentBytes implements AutoCloseable {
  private static final byte[] KEY = "VmRSS:".getBytes(StandardCharsets.US_ASCII);

  private final RandomAccessFile status;
  private final byte[] buffer = new byte[4096]; // VmRSS is in the first 1.5 KiB: the CPU masks come after

  ResidentBytes() throws IOException {
    status = new RandomAccessFile("/proc/self/status", "r");
  }

  /** The resident set in bytes now; -1 when the file has no VmRSS (a kernel thread's, never ours). */
  long read() throws IOException {
    status.seek(0);
    int length = 0;
    for (int n; length < buffer.length && (n = status.read(buffer, length, buffer.length - length)) > 0; ) {
      length += n;
    }
    return parse(buffer, length);
  }

  /** The number after {@code VmRSS:} in kB, as bytes; -1 when there is none. */
  static long parse(byte[] text, int length) {
    int at = find(text, length);
    if (at < 0) {
      return -1;
    }
    int i = at + KEY.length;
    while (i < length && (text[i] == ' ' || text[i] == '\t')) {
      i++;
    }
    long kb = 0;
    int digits = 0;
    for (; i < length && text[i] >= '0' && text[i] <= '9'; i++, digits++) {
      kb = kb * 10 + (text[i] - '0');
    }
    return digits == 0 ? -1 : kb * 1024;
  }

  /** Where {@code VmRSS:} starts a line, or -1. */
  private static int find(byte[] text, int length) {
    for (int start = 0; start + KEY.length <= length; ) {
      if (startsWith(text, start)) {
        return start;
      }
      while (start < length && text[start] != '\n') {
        start++;
      }
      start++;
    }
    return -1;
  }

  private static boolean startsWith(byte[] text, int at) {
    for (int k = 0; k < KEY.length; k++) {
      if (text[at + k] != KEY[k]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    status.close();
  }
}
