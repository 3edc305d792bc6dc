package io.jvmebpf.agent.probe.cpu;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
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
record ResolvedStack(List<Frame> frames, int leafNative, boolean complete) {
  /** In place of the frames of a stack the kernel's map had no room for. */
  static final String LOST_NAME = "[stack lost]";
  static final ResolvedStack EMPTY = new ResolvedStack(List.of(), 0, false);
  static final ResolvedStack LOST =
      new ResolvedStack(List.of(new Frame(LOST_NAME, FrameKind.UNKNOWN)), 0, false);
}
