package io.jvmebpf.agent.stacks;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A user stack from the kernel's frame-pointer walk, named.
 *
 * @param frames root first
 * @param leafNative how many frames at the leaf end are native code called from the Java part
 * @param complete whether its Java part can stand alone: Java frames found, none interpreted
 *     (those the walk cannot name), the walk rooted in the thread's native start and not cut by an
 *     unknown address (JIT code without frame pointers) nor by the kernel's depth limit
 */
public record ResolvedStack(List<Frame> frames, int leafNative, boolean complete) {
  /** In place of the frames of a stack the kernel's map had no room for. */
  public static final String LOST_NAME = "[stack lost]";
  public static final ResolvedStack EMPTY = new ResolvedStack(List.of(), 0, false);
  public static final ResolvedStack LOST =
      new ResolvedStack(List.of(new Frame(LOST_NAME, FrameKind.UNKNOWN)), 0, false);

  /** Whether the JVM's Java frames should stand in for this walk's Java part. */
  public boolean takesJava(List<Frame> java) {
    return !complete && java != null;
  }

  /**
   * The whole stack, root first: this walk's frames, or (see {@link #takesJava}) the JVM's Java
   * frames with this walk's native leaf frames; then the kernel's.
   */
  public List<Frame> with(List<Frame> java, List<Frame> kernel) {
    List<Frame> all = new ArrayList<>(frames.size() + kernel.size() + (java == null ? 0 : java.size()));
    if (takesJava(java)) {
      all.addAll(java);
      all.addAll(frames.subList(frames.size() - leafNative, frames.size()));
    } else {
      all.addAll(frames);
    }
    all.addAll(kernel);
    return List.copyOf(all);
  }
}
