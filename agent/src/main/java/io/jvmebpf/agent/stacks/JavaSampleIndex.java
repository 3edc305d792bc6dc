package io.jvmebpf.agent.stacks;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.jfr.JavaStackSample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JVM's recent samples of Java stacks (JFR), per thread and in time order, for finding the
 * one nearest a kernel sample of the same thread. JFR is the truth for Java stacks; the kernel's
 * frame-pointer walk cannot name interpreted frames and is cut by JIT code built without
 * {@code -XX:+PreserveFramePointer}. Bounded: {@value #PER_THREAD} samples per thread,
 * {@value #MAX_THREADS} threads (idle ones forgotten at each epoch) and
 * {@value JavaStackTable#MAX_STACKS} distinct stacks, the rest counted.
 */
public final class JavaSampleIndex implements Consumer<JavaStackSample> {
  static final int PER_THREAD = 512;
  static final int MAX_THREADS = 4_096;

  /** By tid; a virtual thread's samples by minus its id (see {@link JavaStackSample#osThreadId()}). */
  private final Map<Long, ThreadSamples> byThread = new HashMap<>();
  private final JavaStackTable stacks = new JavaStackTable();
  private long dropped;

  @Override
  public synchronized void accept(JavaStackSample sample) {
    long tid = sample.osThreadId();
    ThreadSamples thread = byThread.get(tid);
    if (thread == null) {
      if (byThread.size() >= MAX_THREADS) {
        dropped++;
        return;
      }
      thread = new ThreadSamples();
      byThread.put(tid, thread);
    }
    int id = stacks.intern(sample.frames());
    if (id < 0) {
      dropped++;
      return;
    }
    thread.add(stacks.monotonic(sample.epochNanos()), id, sample.inNative());
  }

  /**
   * The id of the stack sampled on {@code tid} nearest to {@code timeNs} (CLOCK_MONOTONIC) and at
   * most {@code maxGapNs} from it, or -1. A kernel sample caught running Java code joins only with
   * the JVM's samples of Java code: its samples "in native" include threads blocked there.
   *
   * @param nativeAllowed whether the kernel caught the thread in native code
   */
  public synchronized int nearest(int tid, long timeNs, long maxGapNs, boolean nativeAllowed) {
    ThreadSamples thread = byThread.get((long) tid);
    return thread == null ? -1 : thread.nearest(timeNs, maxGapNs, nativeAllowed);
  }

  /** {@link #nearest}, for a sample of a carrier while virtual thread {@code vthread} was mounted. */
  public synchronized int nearestVirtual(long vthread, long timeNs, long maxGapNs, boolean nativeAllowed) {
    ThreadSamples thread = byThread.get(-vthread);
    return thread == null ? -1 : thread.nearest(timeNs, maxGapNs, nativeAllowed);
  }

  /**
   * The id of a stack the JVM sampled on {@code tid} in native code between {@code startNs} and
   * {@code endNs}, or -1: a thread blocked in a native method keeps its Java stack while it is.
   */
  public synchronized int nativeWithin(int tid, long startNs, long endNs) {
    ThreadSamples thread = byThread.get((long) tid);
    return thread == null ? -1 : thread.nativeWithin(startNs, endNs);
  }

  /** Root first. */
  public synchronized List<Frame> stack(int id) {
    return stacks.stack(id);
  }

  /** Forgets threads without a sample since {@code cutoffNs}: ended, or pooled tids not reused. */
  public synchronized void forgetThreadsIdleSince(long cutoffNs) {
    byThread.values().removeIf(thread -> thread.newest() < cutoffNs);
  }

  public synchronized long dropped() {
    return dropped;
  }

  /** A ring of (time, stack id), in arrival order, which is time order per thread. */
  private static final class ThreadSamples {
    private final long[] times = new long[PER_THREAD];
    private final int[] ids = new int[PER_THREAD];
    private final boolean[] inNative = new boolean[PER_THREAD];
    private int next;
    private int size;

    void add(long timeNs, int id, boolean isNative) {
      times[next] = timeNs;
      ids[next] = id;
      inNative[next] = isNative;
      next = (next + 1) % PER_THREAD;
      size = Math.min(size + 1, PER_THREAD);
    }

    long newest() {
      return size == 0 ? Long.MIN_VALUE : times[(next - 1 + PER_THREAD) % PER_THREAD];
    }

    int nativeWithin(long startNs, long endNs) {
      for (int i = 0; i < size; i++) {
        int slot = (next - 1 - i + PER_THREAD) % PER_THREAD;
        if (times[slot] < startNs) {
          break;
        }
        if (inNative[slot] && times[slot] <= endNs) {
          return ids[slot];
        }
      }
      return -1;
    }

    int nearest(long timeNs, long maxGapNs, boolean nativeAllowed) {
      int best = -1;
      long bestGap = maxGapNs;
      for (int i = 0; i < size; i++) {
        int slot = (next - 1 - i + PER_THREAD) % PER_THREAD;
        long gap = Math.abs(times[slot] - timeNs);
        if (gap <= bestGap && (nativeAllowed || !inNative[slot])) {
          best = ids[slot];
          bestGap = gap;
        }
        if (times[slot] < timeNs - maxGapNs) {
          break; // older still: only further away
        }
      }
      return best;
    }
  }
}
