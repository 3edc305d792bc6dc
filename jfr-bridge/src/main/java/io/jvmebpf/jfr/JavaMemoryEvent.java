package io.jvmebpf.jfr;

import java.time.Instant;
import java.util.List;

/** What the JVM's own events say of its memory: allocation samples, collections, NMT's totals. */
public sealed interface JavaMemoryEvent {
  /**
   * One allocation sample ({@code jdk.ObjectAllocationSample}).
   *
   * @param tid the allocating thread's OS id, 0 when it has none (a virtual thread's sample)
   * @param weightBytes the bytes the JVM says this sample stands for
   * @param className the allocated objects' class, as Java names it ({@code byte[]})
   * @param stack the allocating code, leaf first
   */
  record Allocation(long tid, long weightBytes, String className, List<JavaFrame> stack) implements JavaMemoryEvent {
    public Allocation {
      stack = List.copyOf(stack);
    }
  }

  /** The heap around one collection ({@code jdk.GCHeapSummary}): {@code before} or after it. */
  record GcHeap(long gcId, Instant at, boolean before, long heapUsedBytes) implements JavaMemoryEvent {}

  /** One Native Memory Tracking category's totals ({@code jdk.NativeMemoryUsage}). */
  record NativeMemoryUsage(String category, long reservedBytes, long committedBytes) implements JavaMemoryEvent {}
}
