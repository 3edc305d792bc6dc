package io.jvmebpf.agent.stacks;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.jfr.JavaBlock;
import io.jvmebpf.jfr.JavaFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JVM's recent records of threads blocked in Java code (JFR's sleep, park and monitor
 * events), per thread and in time order, for naming the Java frames and the reason of an off-CPU
 * interval of the same thread that they overlap: the Java stack cannot change while the thread is
 * blocked. Bounded: {@value #PER_THREAD} records per thread, {@value #MAX_THREADS} threads and
 * {@value JavaStackTable#MAX_STACKS} distinct stacks, the rest counted.
 */
public final class JavaBlockIndex implements Consumer<JavaBlock> {
  static final int PER_THREAD = 256;
  static final int MAX_THREADS = 4_096;

  /** What the JVM says a thread blocked in; {@code reason} is its name in the report. */
  public enum Kind {
    SLEEP("sleep"), PARK("park"), MONITOR("monitor"), WAIT("wait");

    public final String reason;

    Kind(String reason) {
      this.reason = reason;
    }

    static Kind of(String jfrEvent) {
      return switch (jfrEvent) {
        case "jdk.ThreadSleep" -> SLEEP;
        case "jdk.ThreadPark" -> PARK;
        case "jdk.JavaMonitorEnter" -> MONITOR;
        default -> WAIT; // jdk.JavaMonitorWait
      };
    }
  }

  /** A block that overlaps an interval: its stack id and kind. */
  public record Match(int stack, Kind kind) {}

  private static final Kind[] KINDS = Kind.values();
  private static final String THREAD_SLEEP = "java.lang.Thread.sleep";
  private static final JavaFrame SLEEP_FRAME = new JavaFrame(THREAD_SLEEP, "JIT compiled");

  private final Map<Integer, ThreadBlocks> byThread = new HashMap<>();
  private final JavaStackTable stacks = new JavaStackTable();
  private long dropped;

  @Override
  public synchronized void accept(JavaBlock block) {
    int tid = (int) block.osThreadId();
    ThreadBlocks thread = byThread.get(tid);
    if (thread == null) {
      if (byThread.size() >= MAX_THREADS) {
        dropped++;
        return;
      }
      thread = new ThreadBlocks();
      byThread.put(tid, thread);
    }
    Kind kind = Kind.of(block.event());
    int id = stacks.intern(kind == Kind.SLEEP ? withSleep(block.frames()) : block.frames());
    if (id < 0) {
      dropped++;
      return;
    }
    long start = stacks.monotonic(block.startEpochNanos());
    thread.add(start, start + block.durationNanos(), id, kind.ordinal());
  }

  /**
   * JDK 22+ leaves {@code Thread.sleep}'s own frames out of {@code jdk.ThreadSleep}'s stack (its
   * stack filter), so the stack starts at the caller; the event says the thread was in it.
   */
  private static List<JavaFrame> withSleep(List<JavaFrame> leafFirst) {
    if (!leafFirst.isEmpty() && leafFirst.getFirst().method().startsWith(THREAD_SLEEP)) {
      return leafFirst;
    }
    List<JavaFrame> frames = new ArrayList<>(leafFirst.size() + 1);
    frames.add(SLEEP_FRAME);
    frames.addAll(leafFirst);
    return frames;
  }

  /**
   * The block recorded on {@code tid} that overlaps {@code startNs..endNs} (CLOCK_MONOTONIC) the
   * most, or null when none does.
   */
  public synchronized Match overlapping(int tid, long startNs, long endNs) {
    ThreadBlocks thread = byThread.get(tid);
    int slot = thread == null ? -1 : thread.mostOverlapping(startNs, endNs);
    return slot < 0 ? null : new Match(thread.ids[slot], KINDS[thread.kinds[slot]]);
  }

  /** Root first. */
  public synchronized List<Frame> stack(int id) {
    return stacks.stack(id);
  }

  /** Forgets threads without a record ending since {@code cutoffNs}: ended, or idle. */
  public synchronized void forgetThreadsIdleSince(long cutoffNs) {
    byThread.values().removeIf(thread -> thread.newestEnd() < cutoffNs);
  }

  /** Records not kept: too many threads or stacks. */
  public synchronized long dropped() {
    return dropped;
  }

  /** A ring of (start, end, stack id, kind), in arrival order: the order blocks ended. */
  private static final class ThreadBlocks {
    private final long[] starts = new long[PER_THREAD];
    private final long[] ends = new long[PER_THREAD];
    private final int[] ids = new int[PER_THREAD];
    private final byte[] kinds = new byte[PER_THREAD];
    private int next;
    private int size;

    void add(long start, long end, int id, int kind) {
      starts[next] = start;
      ends[next] = end;
      ids[next] = id;
      kinds[next] = (byte) kind;
      next = (next + 1) % PER_THREAD;
      size = Math.min(size + 1, PER_THREAD);
    }

    long newestEnd() {
      long newest = Long.MIN_VALUE;
      for (int i = 0; i < size; i++) {
        newest = Math.max(newest, ends[i]);
      }
      return newest;
    }

    int mostOverlapping(long startNs, long endNs) {
      int best = -1;
      long bestOverlap = 0;
      for (int i = 0; i < size; i++) {
        int slot = (next - 1 - i + PER_THREAD) % PER_THREAD;
        long overlap = Math.min(endNs, ends[slot]) - Math.max(startNs, starts[slot]);
        if (overlap > bestOverlap) {
          best = slot;
          bestOverlap = overlap;
        }
      }
      return best;
    }
  }
}
