package io.jvmebpf.agent.config;

/**
 * The scheduler tracer's settings: {@code offcpu=}, {@code offcpu.min=}, {@code offcpu.threads=},
 * {@code offcpu.stacks=}.
 *
 * @param on whether it runs
 * @param minNs how long a block must last to be sent to user space and joined with the JVM's
 *     blocking events (Java frames); shorter ones are summed in the kernel only, with their kernel
 *     and user stacks
 * @param threads how many threads the kernel follows at once (live, and ended but not yet read)
 * @param stacks how many distinct stacks the kernel's stack map holds for the whole run
 */
public record OffCpuOptions(boolean on, long minNs, int threads, int stacks) {
  /** JFR's own threshold for blocking events in its {@code profile} settings. */
  public static final long DEFAULT_MIN_NS = 10_000_000;
  public static final int DEFAULT_THREADS = 8_192;
  public static final int MAX_THREADS = 1 << 18;
  public static final int DEFAULT_STACKS = 8_192;
  public static final int MAX_STACKS = 32_768; // preallocated: 1 KiB per stack, 32 MiB

  public static OffCpuOptions defaults() {
    return new OffCpuOptions(true, DEFAULT_MIN_NS, DEFAULT_THREADS, DEFAULT_STACKS);
  }
}
