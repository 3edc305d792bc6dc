package io.jvmebpf.agent.probe;

/**
 * A running probe's counts for {@code status} and the command line's progress line.
 *
 * @param samples CPU samples of the JVM's threads so far
 * @param lost events the kernel or the agent could not hold so far (stacks, samples, events)
 */
public record LiveCounts(long samples, long lost) {
  public static final LiveCounts NONE = new LiveCounts(0, 0);

  public LiveCounts plus(LiveCounts other) {
    return new LiveCounts(samples + other.samples, lost + other.lost);
  }
}
