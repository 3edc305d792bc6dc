package io.jvmebpf.workloads;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A page-fault-heavy loop for bench/nativemem-overhead: maps 16 MiB fresh (an arena of its own, so
 * the allocator hands it back with munmap), writes a byte in each 4 KiB page, unmaps it. Runs
 * WARMUP seconds, then times ROUNDS rounds and prints {@code ns/op=N} per page.
 *
 * <p>Arguments: {@code ROUNDS WARMUP_SECONDS}.
 */
public final class FaultLoop {
  private static final long BYTES = 16 << 20;
  private static final long PAGE = 4096;

  private FaultLoop() {}

  public static void main(String[] args) {
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

  private static void round() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment memory = arena.allocate(BYTES, PAGE);
      for (long at = 0; at < BYTES; at += PAGE) {
        memory.set(ValueLayout.JAVA_BYTE, at, (byte) 1);
      }
    }
  }
}
