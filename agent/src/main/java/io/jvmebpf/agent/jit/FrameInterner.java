package io.jvmebpf.agent.jit;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link Frame} per name and kind, shared by the compiled methods that show it: a method is
 * inlined into many others and compiled at several tiers, and a code map holds tens of thousands of
 * chains. Only a cache: past {@link #LIMIT} names it starts over, which costs memory sharing, never
 * correctness. Used by the code map's one writer only.
 */
final class FrameInterner {
  static final int LIMIT = 1 << 17;

  private final Map<String, Frame> jit = new HashMap<>();
  private final Map<String, Frame> inlined = new HashMap<>();

  Frame jit(String name) {
    return intern(jit, name, FrameKind.JIT);
  }

  Frame inlined(String name) {
    return intern(inlined, name, FrameKind.INLINED);
  }

  private static Frame intern(Map<String, Frame> frames, String name, FrameKind kind) {
    Frame frame = frames.get(name);
    if (frame == null) {
      if (frames.size() >= LIMIT) {
        frames.clear();
      }
      frame = new Frame(name, kind);
      frames.put(name, frame);
    }
    return frame;
  }
}
