package io.jvmebpf.workloads;

import java.lang.foreign.MemorySegment;

/**
 * A malloc-heavy loop for bench/nativemem-overhead: each op frees one of 1,024 held blocks and
 * mallocs another of SIZE bytes, through the FFM API. Runs WARMUP seconds, then times OPS ops and
 * prints {@code ns/op=N}.
 *
 * <p>Arguments: {@code SIZE OPS WARMUP_SECONDS}.
 */
public final class MallocLoop {
  private static final MemorySegment[] HELD = new MemorySegment[1024];

  private MallocLoop() {}

  public static void main(String[] args) throws Throwable {
    long size = Long.parseLong(args[0]);
    long ops = Long.parseLong(args[1]);
    long warmupNs = Long.parseLong(args[2]) * 1_000_000_000L;
    for (int i = 0; i < HELD.length; i++) {
      HELD[i] = (MemorySegment) LibcCalls.MALLOC.invokeExact(size);
    }
    long warmupEnd = System.nanoTime() + warmupNs;
    while (System.nanoTime() < warmupEnd) {
      loop(size, 100_000);
    }
    long started = System.nanoTime();
    loop(size, ops);
    System.out.println("ns/op=" + (System.nanoTime() - started) / (double) ops);
  }

  private static void loop(long size, long ops) throws Throwable {
    for (long op = 0; op < ops; op++) {
      int i = (int) (op & (HELD.length - 1));
      LibcCalls.FREE.invokeExact(HELD[i]);
      HELD[i] = (MemorySegment) LibcCalls.MALLOC.invokeExact(size);
    }
  }
}
