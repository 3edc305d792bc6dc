package io.jvmebpf.agent.stacks;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.jfr.JavaSocketIo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JVM's records of socket reads and writes (JFR's, past a threshold), summed per peer, thread
 * and Java stack, for naming the Java code that used a connection the kernel followed. Bounded:
 * {@value #MAX_USES} sums and {@value JavaStackTable#MAX_STACKS} distinct stacks, the rest counted.
 */
public final class JavaSocketIndex implements Consumer<JavaSocketIo> {
  static final int MAX_USES = 16_384;

  private record Use(String address, int port, int tid, int stack) {}

  /** Bytes, calls, and the first and last call's start (epoch nanoseconds), of one use. */
  private static final class Sums {
    long bytes;
    long calls;
    long firstNs = Long.MAX_VALUE;
    long lastNs = Long.MIN_VALUE;
  }

  private final Map<Use, Sums> uses = new HashMap<>();
  private final JavaStackTable stacks = new JavaStackTable();
  private long dropped;

  @Override
  public synchronized void accept(JavaSocketIo io) {
    int stack = stacks.intern(io.frames());
    Use use = new Use(io.address(), io.port(), (int) io.osThreadId(), stack);
    Sums sums = uses.get(use);
    if (sums == null) {
      if (stack < 0 || uses.size() >= MAX_USES) {
        dropped++;
        return;
      }
      sums = new Sums();
      uses.put(use, sums);
    }
    long startNs = io.startEpochNanos();
    sums.bytes += io.bytes();
    sums.calls++;
    sums.firstNs = Math.min(sums.firstNs, startNs);
    sums.lastNs = Math.max(sums.lastNs, startNs);
  }

  /**
   * The Java stack, root first, that moved the most bytes with this peer between {@code fromNs}
   * and {@code toNs} (epoch nanoseconds), preferring thread {@code tid}'s; null when JFR recorded none.
   */
  public synchronized List<Frame> heaviest(String address, int port, int tid, long fromNs, long toNs) {
    Use best = null;
    Sums bestSums = null;
    for (Map.Entry<Use, Sums> entry : uses.entrySet()) {
      Use use = entry.getKey();
      Sums sums = entry.getValue();
      if (use.port() != port || !use.address().equals(address) || sums.lastNs < fromNs || sums.firstNs > toNs) {
        continue;
      }
      if (best == null || heavier(use, sums, best, bestSums, tid)) {
        best = use;
        bestSums = sums;
      }
    }
    return best == null ? null : stacks.stack(best.stack());
  }

  /** The thread's own first, then by bytes, then by calls (a read at the end of a stream moves none). */
  private static boolean heavier(Use a, Sums aSums, Use b, Sums bSums, int tid) {
    if ((a.tid() == tid) != (b.tid() == tid)) {
      return a.tid() == tid;
    }
    return aSums.bytes != bSums.bytes ? aSums.bytes > bSums.bytes : aSums.calls > bSums.calls;
  }

  /** Records not kept: too many uses or stacks. */
  public synchronized long dropped() {
    return dropped;
  }
}
