package io.jvmebpf.agent.config;

/**
 * The CPU sampler's settings: {@code cpu=}, {@code interval=} or {@code rate=}, {@code event=},
 * {@code cpu.stacks=}, {@code vthreads=}.
 *
 * @param on whether the sampler runs
 * @param event what clock samples: the CPU clock (software) or the PMU's cycles counter
 * @param intervalNs the sampling period when {@code rateHz} is 0
 * @param rateHz samples per second per CPU, or 0 to sample every {@code intervalNs}
 * @param stacks how many distinct stacks the kernel's stack map holds
 * @param vthreads whether samples of a carrier go to the virtual thread mounted on it
 */
public record CpuOptions(boolean on, Event event, long intervalNs, int rateHz, int stacks, boolean vthreads) {
  public static final long DEFAULT_INTERVAL_NS = 10_000_000; // async-profiler's default
  public static final long MIN_INTERVAL_NS = 100_000;
  public static final int DEFAULT_STACKS = 8_192;
  public static final int MAX_STACKS = 32_768; // two preallocated maps of 1 KiB per stack: 66 MiB
  public static final int MAX_RATE_HZ = 10_000;

  public enum Event {
    /** The software cpu-clock: works everywhere, VMs included. */
    CPU,
    /** Hardware cycles where the PMU offers them; falls back to {@link #CPU} where it does not. */
    CYCLES
  }

  public static CpuOptions defaults() {
    return new CpuOptions(true, Event.CPU, DEFAULT_INTERVAL_NS, 0, DEFAULT_STACKS, true);
  }

  /** The time each sample stands for. */
  public long sampleWeightNs() {
    return rateHz > 0 ? 1_000_000_000L / rateHz : intervalNs;
  }
}
