package io.jvmebpf.workloads;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Native memory with known answers, each on a thread of its own:
 *
 * <ul>
 *   <li>{@code mallocer} calls libc's {@code malloc(65536)} exactly 1,000 times through the FFM API
 *       and frees every other block: 500 frees, 500 blocks (32,768,000 bytes) held to the end;
 *   <li>{@code toucher} allocates a 64 MiB direct buffer and writes a byte in each of its 16,384 pages
 *       of 4 KiB (the JDK zeroes it first: that first touch of each page faults);
 *   <li>{@code heapallocator} allocates 100,000 {@code byte[8192]} on the Java heap, keeping none
 *       (819,200,000 bytes), in {@link #allocateOnHeap};
 *   <li>with the argument {@code small}, {@code smallmallocer} instead calls {@code malloc(1000)}
 *       100,000 times and frees every other block: 50,000 blocks (50,000,000 bytes) held.
 * </ul>
 *
 * Needs {@code --enable-native-access=ALL-UNNAMED} to call C without a warning.
 */
public final class NativeMemoryWorkload {
  static final int PAGE = 4096;
  static final int BUFFER_BYTES = 64 << 20;
  static final int HEAP_ARRAYS = 100_000;
  static final int HEAP_ARRAY_BYTES = 8192;

  private NativeMemoryWorkload() {}

  public static void main(String[] args) throws Exception {
    boolean small = args.length > 0 && args[0].equals("small");
    Thread allocating = small
        ? Thread.ofPlatform().name("smallmallocer").start(() -> mallocAndFreeHalf(100_000, 1000))
        : Thread.ofPlatform().name("mallocer").start(() -> mallocAndFreeHalf(1000, 65_536));
    allocating.join();
    if (!small) {
      Thread toucher = Thread.ofPlatform().name("toucher").start(NativeMemoryWorkload::touchPages);
      toucher.join();
      AgentJfr.await(); // the heap's allocations are the JVM's own samples
      Thread heap = Thread.ofPlatform().name("heapallocator").start(NativeMemoryWorkload::allocateOnHeap);
      heap.join();
      Thread.sleep(1500); // JFR hands its events over about once a second: the heap's samples too
    }
    System.out.println("done");
  }

  /** {@code count} blocks of {@code size} bytes; every other one freed, the rest held for good. */
  private static void mallocAndFreeHalf(int count, long size) {
    MemorySegment[] blocks = new MemorySegment[count];
    try {
      for (int i = 0; i < count; i++) {
        blocks[i] = (MemorySegment) LibcCalls.MALLOC.invokeExact(size);
      }
      for (int i = 0; i < count; i += 2) {
        LibcCalls.FREE.invokeExact(blocks[i]);
      }
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    System.out.println(Thread.currentThread().getName() + ": " + count + " x malloc(" + size + "), "
        + count / 2 + " freed");
  }

  static volatile byte[] sink;

  private static void allocateOnHeap() {
    long bytes = 0;
    for (int i = 0; i < HEAP_ARRAYS; i++) {
      sink = new byte[HEAP_ARRAY_BYTES];
      bytes += sink.length;
    }
    System.out.println("heapallocator: " + bytes + " bytes in byte[" + HEAP_ARRAY_BYTES + "]");
  }

  private static void touchPages() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    for (int page = 0; page < BUFFER_BYTES / PAGE; page++) {
      buffer.put(page * PAGE, (byte) 1);
    }
    System.out.println("toucher: " + BUFFER_BYTES / PAGE + " pages touched");
  }
}
