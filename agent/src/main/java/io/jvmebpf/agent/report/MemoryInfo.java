package io.jvmebpf.agent.report;

import java.time.Instant;
import java.util.List;

/**
 * The JVM's native memory in {@code summary.json}'s {@code memory}: totals of every thread, and the
 * stacks holding the most outstanding native memory (leak candidates).
 *
 * @param sampleBytes {@code nativemem.sample=}: a block of s bytes is tracked with probability
 *     min(1, s / sampleBytes); 0 when every block is
 * @param maxBlocks how many tracked blocks the kernel holds at once
 * @param trackedBlocks tracked blocks outstanding at the report
 * @param pageFaults user-mode faults of every thread, null with {@code faults=off}
 * @param topOutstanding the stacks holding the most outstanding bytes, heaviest first
 */
public record MemoryInfo(
    boolean nativeOn, long sampleBytes, int maxBlocks, long mallocCalls, long mallocBytes, long freeCalls,
    long outstandingBytes, long outstandingAllocations, long trackedBlocks, Long pageFaults,
    List<Outstanding> topOutstanding) {
  public MemoryInfo {
    topOutstanding = List.copyOf(topOutstanding);
  }

  /**
   * Blocks allocated at one stack by one thread and not freed: {@code bytes} and {@code
   * allocations} they stand for, the oldest one's allocation time, the stack leaf first.
   */
  public record Outstanding(
      int tid, String thread, long bytes, long allocations, Instant oldestAt, List<String> stack) {
    public Outstanding {
      stack = List.copyOf(stack);
    }
  }
}
