package io.jvmebpf.agent.jit;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The JVM's generated code outside Java methods, flattened for lookup: HotSpot reports a blob and
 * also the named stubs inside it ("StubRoutines (initial stubs)" and its "call_stub",
 * "jint_arraycopy", ...), so ranges nest. Flattening gives each address its innermost (most
 * specific) blob, and a lookup is one binary search. Immutable: rebuilt by the code map's writer
 * when blobs change (rarely after start-up) and read by any thread.
 */
final class StubTable {
  static final StubTable EMPTY = of(List.of());

  private final long[] starts;
  private final long[] ends;
  private final CodeBlob[] owners;

  /**
   * Per range, its blob as the one native frame {@link #frames} answers: built once, not per call.
   */
  private final List<List<Frame>> frames;

  /** The interpreter's own range(s), kept whole even where named stubs lie inside. */
  private final CodeBlob[] interpreters;

  private final List<CodeBlob> blobs;

  private StubTable(
      long[] starts,
      long[] ends,
      CodeBlob[] owners,
      CodeBlob[] interpreters,
      List<CodeBlob> blobs) {
    this.starts = starts;
    this.ends = ends;
    this.owners = owners;
    this.frames =
        Arrays.stream(owners).map(b -> List.of(new Frame(b.name(), FrameKind.NATIVE))).toList();
    this.interpreters = interpreters;
    this.blobs = blobs;
  }

  static StubTable of(Collection<CodeBlob> blobs) {
    // The elementary segments between any two boundaries; each gets the narrowest blob covering
    // it, by painting the widest blobs first.
    long[] points =
        blobs.stream()
            .flatMapToLong(b -> LongStream.of(b.start(), b.end()))
            .sorted()
            .distinct()
            .toArray();
    CodeBlob[] segmentOwner = new CodeBlob[Math.max(points.length - 1, 0)];
    List<CodeBlob> widestFirst = new ArrayList<>(blobs);
    widestFirst.sort(Comparator.comparingLong((CodeBlob b) -> b.end() - b.start()).reversed());
    for (CodeBlob b : widestFirst) {
      for (int i = Arrays.binarySearch(points, b.start()); points[i] < b.end(); i++) {
        segmentOwner[i] = b;
      }
    }
    // Adjacent segments of one blob become one range; gaps are left out.
    List<long[]> ranges = new ArrayList<>();
    List<CodeBlob> rangeOwners = new ArrayList<>();
    for (int i = 0; i < segmentOwner.length; i++) {
      CodeBlob owner = segmentOwner[i];
      if (owner == null) {
        continue;
      }
      int last = rangeOwners.size() - 1;
      if (last >= 0 && rangeOwners.get(last) == owner && ranges.get(last)[1] == points[i]) {
        ranges.get(last)[1] = points[i + 1];
      } else {
        ranges.add(new long[] {points[i], points[i + 1]});
        rangeOwners.add(owner);
      }
    }
    long[] starts = ranges.stream().mapToLong(r -> r[0]).toArray();
    long[] ends = ranges.stream().mapToLong(r -> r[1]).toArray();
    CodeBlob[] interpreters =
        blobs.stream().filter(CodeBlob::isInterpreter).toArray(CodeBlob[]::new);
    List<CodeBlob> sorted =
        blobs.stream().sorted(Comparator.comparingLong(CodeBlob::start)).toList();
    return new StubTable(starts, ends, rangeOwners.toArray(CodeBlob[]::new), interpreters, sorted);
  }

  /** The innermost blob holding {@code pc}, or null. */
  CodeBlob find(long pc) {
    int i = rangeAt(pc);
    return i >= 0 ? owners[i] : null;
  }

  /** The innermost blob holding {@code pc} as one {@link FrameKind#NATIVE} frame, or none. */
  List<Frame> frames(long pc) {
    int i = rangeAt(pc);
    return i >= 0 ? frames.get(i) : List.of();
  }

  boolean isInterpreter(long pc) {
    for (CodeBlob interpreter : interpreters) {
      if (interpreter.contains(pc)) {
        return true;
      }
    }
    return false;
  }

  /** The index of the range holding {@code pc}, or -1. */
  private int rangeAt(long pc) {
    int i = Arrays.binarySearch(starts, pc);
    if (i < 0) {
      i = -i - 2; // the last range starting before pc
    }
    return i >= 0 && pc < ends[i] ? i : -1;
  }

  /** Every blob, by start address. */
  List<CodeBlob> blobs() {
    return blobs;
  }

  int size() {
    return blobs.size();
  }
}
