package io.jvmebpf.agent.config;

/**
 * The memory probe's settings: {@code nativemem=}, {@code nativemem.sample=}, {@code
 * nativemem.max=}, {@code faults=}, {@code alloc=}.
 *
 * @param nativeOn whether the C library's allocator and mmap, munmap and sbrk are traced
 * @param sampleBytes a block of s bytes is tracked (its stack, until freed) with probability
 *     min(1, s / sampleBytes), standing for max(s, sampleBytes) bytes; 0: every block
 * @param maxBlocks how many tracked blocks the kernel holds at once
 * @param faults whether page faults are counted per thread and stack
 * @param javaAlloc whether the JVM's allocation samples, collections and NMT totals are read (JFR)
 */
public record MemoryOptions(boolean nativeOn, long sampleBytes, int maxBlocks, boolean faults, boolean javaAlloc) {
  /** As Go's runtime and jemalloc sample heap profiles: one tracked block per 512 KiB on average. */
  public static final long DEFAULT_SAMPLE_BYTES = 512 * 1024;
  /** The kernel draws a block against a 32-bit random number times this: larger would overflow. */
  public static final long MAX_SAMPLE_BYTES = 1L << 32;
  public static final int DEFAULT_MAX_BLOCKS = 65_536;
  public static final int MAX_MAX_BLOCKS = 1 << 22;

  public static MemoryOptions defaults() {
    return new MemoryOptions(false, DEFAULT_SAMPLE_BYTES, DEFAULT_MAX_BLOCKS, true, true);
  }

  /** Whether the BPF probe runs. */
  public boolean on() {
    return nativeOn || faults;
  }
}
