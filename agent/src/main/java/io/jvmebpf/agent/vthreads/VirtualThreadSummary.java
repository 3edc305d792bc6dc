package io.jvmebpf.agent.vthreads;

import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}'s {@code virtualThreads}: what ran on carriers while a virtual thread was
 * mounted, and the virtual threads' blocks, per name pattern ({@link NamePattern}).
 *
 * @param mounts mounts the JVMTI helper saw this session
 * @param unmounts unmounts it saw
 * @param threads virtual threads that ran (named at their first mount), each counted once while
 *     its name is remembered (see {@link VirtualThreadNames})
 * @param cpuSamples all virtual threads' CPU samples, every pattern's included
 * @param cpuNs their time
 * @param offCpuNs all virtual threads' time blocked, whatever the reason
 * @param patterns heaviest first (CPU, then off-CPU time), at most {@link VirtualThreadTable#MAX_PATTERNS}
 *     with the rest summed into one {@code [other]}
 */
public record VirtualThreadSummary(long mounts, long unmounts, long threads, long cpuSamples, long cpuNs,
    long offCpuNs, List<Pattern> patterns) {
  /**
   * @param threads virtual threads of the pattern that ran
   * @param cpuSamples CPU samples taken on a carrier while one of them was mounted
   * @param cpuNs those samples' time
   * @param offCpuNs time blocked, by the JVM's reason (park, sleep), from the JVM's own records
   * @param blocks blocks counted in offCpuNs
   * @param carriers the carriers their samples were taken on, most samples first (at most 8)
   * @param syscalls the syscalls they made, most calls first (at most 10)
   */
  public record Pattern(String name, long threads, long cpuSamples, long cpuNs, Map<String, Long> offCpuNs,
      long blocks, List<Carrier> carriers, List<Syscall> syscalls) {}

  public record Syscall(String name, long count, long errors, long totalNs, long maxNs) {}

  public record Carrier(int tid, String name, long samples) {}
}
