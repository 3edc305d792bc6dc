package io.jvmebpf.agent.probe;

/**
 * What a probe costs the kernel: map memory, and program run time and runs (-1 when the kernel's
 * run-time statistics could not be switched on).
 */
public record BpfUsage(long mapBytes, long runTimeNs, long runCount) {
  public static final BpfUsage NONE = new BpfUsage(0, 0, 0);

  public BpfUsage plus(BpfUsage other) {
    return new BpfUsage(
        mapBytes + other.mapBytes,
        runTimeNs < 0 || other.runTimeNs < 0 ? -1 : runTimeNs + other.runTimeNs,
        runCount < 0 || other.runCount < 0 ? -1 : runCount + other.runCount);
  }
}
