package io.jvmebpf.agent.stacks;

import static io.jvmebpf.agent.stacks.StackLayouts.MAX_DEPTH;
import static io.jvmebpf.agent.stacks.StackLayouts.STACK_BYTES;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.bpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the kernel's stack ids (hashes of the frames) into named frames, once per id and epoch:
 * naming a user stack soon after it was first sampled keeps JIT code that the JVM later frees from
 * being named after its successor.
 */
public final class StackResolver implements AutoCloseable {
  /** An interpreted frame: the walk cannot tell its method, only the JVM's own sample can. */
  public static final Frame INTERPRETER = new Frame("Interpreter", FrameKind.INTERPRETED);
  private static final List<Frame> KERNEL_LOST = List.of(new Frame(ResolvedStack.LOST_NAME, FrameKind.KERNEL));

  private final BpfMap[] stacks;
  private final CodeSymbols symbols;
  private final List<Map<Long, ResolvedStack>> user = List.of(new HashMap<>(), new HashMap<>());
  private final List<Map<Long, List<Frame>>> kernel = List.of(new HashMap<>(), new HashMap<>());
  private final Arena arena = Arena.ofShared();
  private final MemorySegment key = arena.allocate(JAVA_LONG);
  private final MemorySegment value = arena.allocate(STACK_BYTES, 8);
  private final long[] ips = new long[MAX_DEPTH];

  /** @param stacks the stack map of each epoch */
  public StackResolver(BpfMap[] stacks, CodeSymbols symbols) {
    this.stacks = stacks;
    this.symbols = symbols;
  }

  /** The Java frame nearest the leaf, or null; the interpreter's placeholder names no method. */
  public static Frame innermostJava(List<Frame> frames) {
    for (int i = frames.size() - 1; i >= 0; i--) {
      Frame frame = frames.get(i);
      if (frame.kind().isJava() && !frame.equals(INTERPRETER)) {
        return frame;
      }
    }
    return null;
  }

  /** Kernel frames, root first; empty for no stack or a lost one. */
  public synchronized List<Frame> kernel(int epoch, long id) {
    if (id == StackLayouts.NO_STACK) {
      return List.of();
    }
    if (id == StackLayouts.STACK_LOST) {
      return KERNEL_LOST;
    }
    List<Frame> frames = kernel.get(epoch).get(id);
    if (frames == null) {
      int depth = read(epoch, id);
      frames = new ArrayList<>(depth);
      for (int i = depth - 1; i >= 0; i--) {
        frames.add(symbols.kernel(i == 0 ? ips[i] : ips[i] - 1));
      }
      frames = List.copyOf(frames);
      kernel.get(epoch).put(id, frames);
    }
    return frames;
  }

  public synchronized ResolvedStack user(int epoch, long id) {
    if (id == StackLayouts.NO_STACK) {
      return ResolvedStack.EMPTY;
    }
    if (id == StackLayouts.STACK_LOST) {
      return ResolvedStack.LOST;
    }
    ResolvedStack resolved = user.get(epoch).get(id);
    if (resolved == null) {
      resolved = name(read(epoch, id));
      user.get(epoch).put(id, resolved);
    }
    return resolved;
  }

  /** User stacks named in an epoch so far: how full its stack map is, at least. */
  public synchronized int userStacks(int epoch) {
    return user.get(epoch).size();
  }

  /** Empties an epoch's stack map, and forgets its names, once its counts were drained. */
  public synchronized void forget(int epoch) {
    user.get(epoch).clear();
    kernel.get(epoch).clear();
    stacks[epoch].clear();
  }

  /** Names ips[0..depth), leaf first; return addresses (all but the leaf) are looked up at ip-1. */
  private ResolvedStack name(int depth) {
    List<Frame> leafFirst = new ArrayList<>(depth);
    int leafNative = -1; // native frames before the first Java, interpreted or unknown one
    boolean interpreted = false;
    boolean hasJava = false; // a Java method named by the JIT map
    boolean cut = false;
    boolean refreshed = false;
    for (int i = 0; i < depth; i++) {
      long pc = i == 0 ? ips[i] : ips[i] - 1;
      List<Frame> java = symbols.jit(pc);
      Frame nativeFrame = null;
      if (java == null && !symbols.interpreter(pc)) {
        nativeFrame = symbols.nativeCode(pc);
        if (nativeFrame == null && !refreshed) {
          // Code loaded since the last refresh (a new nmethod, a library): look once more.
          symbols.refresh();
          refreshed = true;
          java = symbols.jit(pc);
          nativeFrame = java == null ? symbols.nativeCode(pc) : null;
        }
      }
      if (java != null) {
        for (int j = java.size() - 1; j >= 0; j--) {
          leafFirst.add(java.get(j));
        }
        hasJava = true;
      } else if (nativeFrame != null) {
        leafFirst.add(nativeFrame);
        continue;
      } else if (symbols.interpreter(pc)) {
        leafFirst.add(INTERPRETER);
        interpreted = true;
      } else {
        // A walk through code without frame pointers goes astray: nothing rootward is trustworthy.
        leafFirst.add(Frame.UNKNOWN);
        cut = true;
      }
      if (leafNative < 0) {
        leafNative = leafFirst.size() - (java != null ? java.size() : 1);
      }
      if (cut) {
        break;
      }
    }
    if (leafNative < 0) {
      leafNative = leafFirst.size();
    }
    // Whole only down to the thread's native start (start_thread, JavaCalls, the call stub): a walk
    // that ends on a Java frame stopped early (JIT code without frame pointers often leaves a
    // frame pointer of 0), and one the kernel cut at its depth limit lost its root frames.
    boolean rooted = !leafFirst.isEmpty() && leafFirst.getLast().kind() == FrameKind.NATIVE;
    boolean truncated = depth == MAX_DEPTH;
    Collections.reverse(leafFirst);
    return new ResolvedStack(
        List.copyOf(leafFirst), leafNative, hasJava && !interpreted && !cut && rooted && !truncated);
  }

  private int read(int epoch, long id) {
    key.set(JAVA_LONG, 0, id);
    if (!stacks[epoch].lookup(key, value)) {
      return 0;
    }
    int depth = 0;
    while (depth < MAX_DEPTH) {
      long ip = value.get(JAVA_LONG, depth * 8L);
      if (ip == 0) {
        break;
      }
      ips[depth++] = ip;
    }
    return depth;
  }

  @Override
  public void close() {
    arena.close();
  }
}
