package io.jvmebpf.workloads;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A page-fault-heavy loop for bench/nativemem-overhead: maps 16 MiB fresh with mmap (not malloc,
 * whose threshold grows so that freed memory is reused, resident), writes a byte in each 4 KiB
 * page, unmaps it. Runs WARMUP seconds, then times ROUNDS rounds and prints {@code ns/op=N} per page.
 *
 * <p>Arguments: {@code ROUNDS WARMUP_SECONDS}.
 */
public final class FaultLoop {
  private static final long BYTES = 16 << 20;
  private static final long PAGE = 4096;
  private static final int PROT_READ_WRITE = 3;
  private static final int MAP_PRIVATE_ANONYMOUS = 0x22;

  private FaultLoop() {}

  public static void main(String[] args) throws Throwable {
    long rounds = Long.parseLong(args[0]);
    long warmupEnd = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
    while (System.nanoTime() < warmupEnd) {
      round();
    }
    long started = System.nanoTime();
    for (long r = 0; r < rounds; r++) {
      round();
    }
    System.out.println("ns/op=" + (System.nanoTime() - started) / (double) (rounds * (BYTES / PAGE)));
  }

  private static void round() throws Throwable {
    MemorySegment memory = ((MemorySegment) LibcCalls.MMAP.invokeExact(MemorySegment.NULL, BYTES, PROT_READ_WRITE,
        MAP_PRIVATE_ANONYMOUS, -1, 0L)).reinterpret(BYTES);
    for (long at = 0; at < BYTES; at += PAGE) {
      memory.set(ValueLayout.JAVA_BYTE, at, (byte) 1);
    }
    int unmapped = (int) LibcCalls.MUNMAP.invokeExact(memory, BYTES);
  }
}
