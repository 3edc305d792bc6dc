package io.jvmebpf.agent.jit;

import io.jvmebpf.agent.profile.Frame;
import java.util.Arrays;
import java.util.List;

/**
 * One piece of code the JIT compiled (an nmethod: a method at one tier, or an OSR entry), and the
 * Java frames each part of it runs for.
 *
 * <p>{@code pcOffsets} are the offsets, ascending, of the pcs the JIT recorded debug information
 * for (HotSpot's PcDescs: calls, safepoint polls, implicit exception points) and {@code chains} the
 * frames at each, root first. A pc in between is given the chain of the first recorded pc at or
 * after it, as HotSpot itself does when it looks up a scope for a pc that has none ({@code
 * find_pc_desc} with {@code approximate}) and as async-profiler does: the code leading up to a
 * recorded pc is the code of the scope recorded there, and a return address, which is what a stack
 * walk finds in every caller frame, is exactly the recorded pc of its call. Runs of equal chains
 * are kept as their last pc only, which this rule makes equivalent. Past the last recorded pc (the
 * exception and deoptimization handlers at the end) only the compiled method is named.
 *
 * @param end exclusive
 * @param method the compiled method alone, as a {@code FrameKind.JIT} frame
 */
record CompiledCode(
    long start, long end, List<Frame> method, int[] pcOffsets, List<List<Frame>> chains) {
  boolean contains(long pc) {
    return pc >= start && pc < end;
  }

  /** The frames at {@code pc}, which {@link #contains} must hold: root first, innermost last. */
  List<Frame> frames(long pc) {
    int i = Arrays.binarySearch(pcOffsets, (int) (pc - start));
    if (i < 0) {
      i = -i - 1;
    }
    return i < pcOffsets.length ? chains.get(i) : method;
  }
}
