package io.jvmebpf.workloads;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Memory outside the heap with a known size and time, the ground truth of the report's memory
 * over time: after 2.5 s it allocates a direct buffer of 200 MiB, which the JDK zeroes (every page
 * touched, so resident), holds it 2.5 s and exits. It prints the wall-clock instant just before the
 * allocation ({@code allocating <instant>}) and just after ({@code touched <instant>}).
 *
 * <p>Run with {@code -XX:MaxDirectMemorySize=} of at least 200m on a small heap.
 */
public final class OffHeapWorkload {
  static final int MIB = 1024 * 1024;
  static final int SIZE = 200 * MIB;

  private OffHeapWorkload() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(2500);
    System.out.println("allocating " + Instant.now());
    ByteBuffer held = ByteBuffer.allocateDirect(SIZE);
    System.out.println("touched " + Instant.now());
    Thread.sleep(2500);
    System.out.println("held " + held.capacity() / MIB + " MiB, last byte " + held.get(SIZE - 1));
  }
}
