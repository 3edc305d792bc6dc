package io.jvmebpf.agent.jit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.jvmebpf.agent.profile.Frame;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the records the JVMTI helper drains: the Java mirror of {@code jvmti_helper.h}, whose
 * comment describes the layout. Records are packed in host byte order, hence the unaligned layouts.
 */
final class JvmtiRecords {
  static final int ABI = 1;
  static final int MAX_RECORD = 256 * 1024;

  static final int LOAD = 1;
  static final int UNLOAD = 2;
  static final int DYNAMIC = 3;
  static final int HEADER = 24;

  static final int STAT_LOGGED = 0;
  static final int STAT_DROPPED = 1;
  static final int STAT_INLINING_DROPPED = 2;
  static final int STAT_NAME_ERRORS = 3;
  static final int STAT_PENDING_BYTES = 4;
  static final int STAT_COUNT = 5;

  /** Where the records go: the code map. */
  interface Sink {
    void load(CompiledCode code);

    void unload(long start);

    void dynamicCode(CodeBlob blob);
  }

  private final FrameInterner frames = new FrameInterner();

  /** Scratch for one pc's method indices: the deepest inlining HotSpot allows is far below. */
  private int[] chain = new int[64];

  private int[] previous = new int[64];

  /**
   * Hands every record in {@code buffer[0, bytes)} to the sink.
   *
   * @return the number of records read
   */
  int read(MemorySegment buffer, long bytes, Sink sink) {
    int records = 0;
    long at = 0;
    while (at + HEADER <= bytes) {
      int length = buffer.get(JAVA_INT_UNALIGNED, at);
      if (length < HEADER || at + length > bytes) {
        throw new IllegalStateException(
            String.format(
                "a %d-byte JVMTI record at %d overruns the %d drained", length, at, bytes));
      }
      int type = buffer.get(JAVA_BYTE, at + 4);
      long start = buffer.get(JAVA_LONG_UNALIGNED, at + 8);
      long size = buffer.get(JAVA_LONG_UNALIGNED, at + 16);
      switch (type) {
        case LOAD -> sink.load(readLoad(buffer, at, start, size));
        case UNLOAD -> sink.unload(start);
        case DYNAMIC ->
            sink.dynamicCode(new CodeBlob(start, start + size, buffer.getString(at + HEADER + 2)));
        default -> {} // a newer helper's record: ABI would have changed; skip it
      }
      at += length;
      records++;
    }
    return records;
  }

  private CompiledCode readLoad(MemorySegment buffer, long record, long start, long size) {
    int methodCount = buffer.get(JAVA_INT_UNALIGNED, record + HEADER);
    int pcCount = buffer.get(JAVA_INT_UNALIGNED, record + HEADER + 4);
    long at = record + HEADER + 8;
    String[] names = new String[methodCount];
    for (int i = 0; i < methodCount; i++) {
      names[i] = buffer.getString(at + 2);
      at += 2 + Short.toUnsignedInt(buffer.get(JAVA_SHORT_UNALIGNED, at)) + 1;
    }
    List<Frame> method = List.of(frames.jit(names[0]));

    int[] offsets = new int[pcCount];
    List<List<Frame>> chains = new ArrayList<>(pcCount);
    int kept = 0;
    int previousDepth = -1;
    for (int p = 0; p < pcCount; p++) {
      int offset = buffer.get(JAVA_INT_UNALIGNED, at);
      int depth = Short.toUnsignedInt(buffer.get(JAVA_SHORT_UNALIGNED, at + 4));
      at += 6;
      if (depth > chain.length) {
        chain = new int[depth];
        previous = new int[depth];
      }
      for (int f = 0; f < depth; f++) {
        chain[f] = Short.toUnsignedInt(buffer.get(JAVA_SHORT_UNALIGNED, at + 2L * f));
      }
      at += 2L * depth;
      if (depth == 0) {
        continue; // the helper sends none; a pc without frames would name nothing
      }
      boolean sameAsPrevious =
          kept > 0
              && offset >= offsets[kept - 1]
              && Arrays.equals(chain, 0, depth, previous, 0, previousDepth);
      if (sameAsPrevious) {
        // The run goes on: CompiledCode says why its last pc is the one to keep.
        offsets[kept - 1] = offset;
        continue;
      }
      Frame[] chainFrames = new Frame[depth];
      for (int f = 0; f < depth; f++) {
        chainFrames[f] = f == 0 ? frames.jit(names[chain[f]]) : frames.inlined(names[chain[f]]);
      }
      offsets[kept++] = offset;
      chains.add(List.of(chainFrames));
      System.arraycopy(chain, 0, previous, 0, depth);
      previousDepth = depth;
    }
    return sorted(
        new CompiledCode(start, start + size, method, Arrays.copyOf(offsets, kept), chains));
  }

  /** HotSpot lists pcs in ascending order; were one not to, sort rather than misname. */
  private static CompiledCode sorted(CompiledCode code) {
    int[] offsets = code.pcOffsets();
    boolean ascending = true;
    for (int i = 1; i < offsets.length && ascending; i++) {
      ascending = offsets[i - 1] <= offsets[i];
    }
    if (ascending) {
      return code;
    }
    Integer[] order = new Integer[offsets.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Integer.compare(offsets[a], offsets[b]));
    int[] sortedOffsets = new int[offsets.length];
    List<List<Frame>> sortedChains = new ArrayList<>(offsets.length);
    for (int i = 0; i < order.length; i++) {
      sortedOffsets[i] = offsets[order[i]];
      sortedChains.add(code.chains().get(order[i]));
    }
    return new CompiledCode(code.start(), code.end(), code.method(), sortedOffsets, sortedChains);
  }
}
