package io.jvmebpf.workloads;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A page-fault-heavy loop for bench/nativemem-overhead: maps 16 MiB fresh with mmap (not malloc,
 * whose threshold grows so that freed memory is reused, resident), writes a byte in each 4 KiB
 * page, unmaps it. Runs
 * WARMUP seconds, then times ROUNDS rounds and prints {@code ns/op=N} per page.
 *
 * <p>Arguments: {@code ROUNDS WARMUP_SECONDS}.
 */
public final class FaultLoop {
  private static final long BYTES = 16 << 20;
  private static final long PAGE = 4096;
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
          ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
  private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
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
    MemorySegment memory = ((MemorySegment) MMAP.invokeExact(MemorySegment.NULL, BYTES, PROT_READ_WRITE,
        MAP_PRIVATE_ANONYMOUS, -1, 0L)).reinterpret(BYTES);
    for (long at = 0; at < BYTES; at += PAGE) {
      memory.set(ValueLayout.JAVA_BYTE, at, (byte) 1);
    }
    int unmapped = (int) MUNMAP.invokeExact(memory, BYTES);
  }
}
