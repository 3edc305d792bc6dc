package io.jvmebpf.agent.profile;

import io.jvmebpf.agent.otel.SpanLink;
import java.util.List;

/**
 * A distinct stack of one thread and how many samples hit it.
 *
 * @param tid the kernel thread id, as the JVM sees it
 * @param thread the thread's name (Java name for Java threads, kernel name for native ones)
 * @param frames root first, leaf last; the thread itself is not a frame
 * @param count samples with exactly this stack
 * @param joined whether the Java frames came from a JFR sample of the same thread rather than
 *     from the kernel's frame-pointer walk
 * @param link the span the thread was in when these samples were taken, or null: a stack's
 *     samples in several spans are several entries (the files add them up again)
 */
public record StackSample(int tid, String thread, List<Frame> frames, long count, boolean joined, SpanLink link) {
  public StackSample {
    frames = List.copyOf(frames);
  }

  /** Samples linked to no span. */
  public StackSample(int tid, String thread, List<Frame> frames, long count, boolean joined) {
    this(tid, thread, frames, count, joined, null);
  }
}
