package io.jvmebpf.agent.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Java heap as the JVM's own events tell it: its allocation samples ({@code
 * jdk.ObjectAllocationSample}, each weighing the bytes it stands for), its collections ({@code
 * jdk.GCHeapSummary} before and after each), and Native Memory Tracking's totals per category
 * ({@code jdk.NativeMemoryUsage}) when the JVM runs with {@code -XX:NativeMemoryTracking}.
 *
 * @param allocationSamples samples the JVM recorded
 * @param allocatedBytes the bytes they stand for: an estimate of all the heap's allocations
 * @param topClasses the classes allocated most, by bytes, heaviest first
 * @param collections collections seen; {@code gcs} lists the latest of them
 * @param nmt per NMT category its last reserved and committed bytes, empty without NMT
 */
public record JavaHeapInfo(
    long allocationSamples, long allocatedBytes, List<ClassBytes> topClasses, long collections, List<Gc> gcs,
    Map<String, Nmt> nmt) {
  public JavaHeapInfo {
    topClasses = List.copyOf(topClasses);
    gcs = List.copyOf(gcs);
    nmt = Map.copyOf(nmt);
  }

  public record ClassBytes(String className, long bytes) {}

  /** One collection: its id, when it started, heap used before and after it. */
  public record Gc(long id, Instant at, long heapUsedBeforeBytes, long heapUsedAfterBytes) {}

  public record Nmt(long reservedBytes, long committedBytes) {}
}
