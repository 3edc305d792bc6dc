package io.jvmebpf.agent.probe.cpu;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.jfr.JavaFrame;
import io.jvmebpf.jfr.JavaStackSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JVM's recent samples of Java stacks (JFR), per thread and in time order, for finding the
 * one nearest a kernel sample of the same thread. JFR is the truth for Java stacks; the kernel's
 * frame-pointer walk cannot name interpreted frames and is cut by JIT code built without
 * {@code -XX:+PreserveFramePointer}. Bounded: {@value #PER_THREAD} samples per thread,
 * {@value #MAX_THREADS} threads (idle ones forgotten at each epoch) and {@value #MAX_STACKS}
 * distinct stacks, the rest counted.
 */
public final class JavaSampleIndex implements Consumer<JavaStackSample> {
  static final int PER_THREAD = 512;
  static final int MAX_THREADS = 4_096;
  static final int MAX_STACKS = 65_536;

  /** CLOCK_MONOTONIC (System.nanoTime, bpf_ktime_get_ns) minus the epoch clock JFR stamps with. */
  private final long epochToMonotonic;
  private final Map<Integer, ThreadSamples> byThread = new HashMap<>();
  private final Map<List<Frame>, Integer> stackIds = new HashMap<>();
  private final List<List<Frame>> stacks = new ArrayList<>();
  private long dropped;

  public JavaSampleIndex() {
    Instant now = Instant.now();
    long monotonic = System.nanoTime();
    epochToMonotonic = monotonic - (now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }

  @Override
  public synchronized void accept(JavaStackSample sample) {
    int tid = (int) sample.osThreadId();
    ThreadSamples thread = byThread.get(tid);
    if (thread == null) {
      if (byThread.size() >= MAX_THREADS) {
        dropped++;
        return;
      }
      thread = new ThreadSamples();
      byThread.put(tid, thread);
    }
    int id = intern(sample.frames());
    if (id < 0) {
      dropped++;
      return;
    }
    thread.add(sample.epochNanos() + epochToMonotonic, id, sample.inNative());
  }

  /**
   * The id of the stack sampled on {@code tid} nearest to {@code timeNs} (CLOCK_MONOTONIC) and at
   * most {@code maxGapNs} from it, or -1. A kernel sample caught running Java code joins only with
   * the JVM's samples of Java code: its samples "in native" include threads blocked there.
   *
   * @param nativeAllowed whether the kernel caught the thread in native code
   */
  synchronized int nearest(int tid, long timeNs, long maxGapNs, boolean nativeAllowed) {
    ThreadSamples thread = byThread.get(tid);
    return thread == null ? -1 : thread.nearest(timeNs, maxGapNs, nativeAllowed);
  }

  /** Root first. */
  synchronized List<Frame> stack(int id) {
    return stacks.get(id);
  }

  /** Forgets threads without a sample since {@code cutoffNs}: ended, or pooled tids not reused. */
  synchronized void forgetThreadsIdleSince(long cutoffNs) {
    byThread.values().removeIf(thread -> thread.newest() < cutoffNs);
  }

  synchronized long dropped() {
    return dropped;
  }

  private int intern(List<JavaFrame> leafFirst) {
    List<Frame> rootFirst = new ArrayList<>(leafFirst.size());
    for (int i = leafFirst.size() - 1; i >= 0; i--) {
      JavaFrame frame = leafFirst.get(i);
      rootFirst.add(new Frame(JavaNames.withoutAddresses(frame.method()), kind(frame.type())));
    }
    Integer id = stackIds.get(rootFirst);
    if (id != null) {
      return id;
    }
    if (stacks.size() >= MAX_STACKS) {
      return -1;
    }
    List<Frame> frozen = List.copyOf(rootFirst);
    stacks.add(frozen);
    stackIds.put(frozen, stacks.size() - 1);
    return stacks.size() - 1;
  }

  private static FrameKind kind(String jfrType) {
    return switch (jfrType) {
      case "Interpreted" -> FrameKind.INTERPRETED;
      case "Inlined" -> FrameKind.INLINED;
      default -> FrameKind.JIT; // "JIT compiled", "C1 compiled", "Native": Java methods all
    };
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
