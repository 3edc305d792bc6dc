package io.jvmebpf.agent.probe;

/**
 * A running probe's counts for {@code status} and the command line's progress line. Only the CPU
 * probe counts anything here: the other probes' losses are read at the report, into {@code
 * agent.dropped}.
 *
 * @param samples CPU samples of the JVM's threads so far
 * @param lost what the CPU profiler could not hold so far (stacks, samples, timing events)
 */
public record LiveCounts(long samples, long lost) {
  public static final LiveCounts NONE = new LiveCounts(0, 0);

  public LiveCounts plus(LiveCounts other) {
    return new LiveCounts(samples + other.samples, lost + other.lost);
  }
}
