package io.jvmebpf.agent.spans;

import io.jvmebpf.agent.otel.SpanLink;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's spans: those open (a short stack, server spans rarely nest) with the kernel's
 * figures at their start, and the latest ended, for linking samples. Written by its thread only;
 * the ended ones are read by the sample consumer, after {@code ended} is published.
 */
final class SpanThread {
  static final int DEPTH = 4;
  /**
   * Ended spans kept per thread, a power of two. Samples ask about a span 2 s or more after it
   * (the CPU probe's join waits for the JVM's samples), and only the newest three quarters are
   * read (the oldest may be being overwritten): a thread ending up to ~190 spans a second keeps
   * its links; 20 KiB per thread that opened a span.
   */
  private static final int ENDED = 512;
  private static final VarHandle ENDED_COUNT;

  static {
    try {
      ENDED_COUNT = MethodHandles.lookup().findVarHandle(SpanThread.class, "endedCount", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int UNCLAIMED = -2;
  static final int NO_SLOT = -1;

  final int tid;
  int slot = UNCLAIMED;
  int depth;
  final long[] startFigures = new long[DEPTH * KernelFigures.COUNT];
  final long[] openSpanIds = new long[DEPTH];
  final long[] openTraceHigh = new long[DEPTH];
  final long[] openTraceLow = new long[DEPTH];
  final long[] openStartNs = new long[DEPTH];

  // Ring of ended spans: start, end, trace id high and low, span id.
  private final long[] ended = new long[ENDED * 5];
  @SuppressWarnings("unused") // through ENDED_COUNT
  private long endedCount;

  SpanThread(int tid) {
    this.tid = tid;
  }

  /** By its thread: forgets the oldest open span, to make room for a new one. */
  void dropOldest() {
    System.arraycopy(openSpanIds, 1, openSpanIds, 0, DEPTH - 1);
    System.arraycopy(openTraceHigh, 1, openTraceHigh, 0, DEPTH - 1);
    System.arraycopy(openTraceLow, 1, openTraceLow, 0, DEPTH - 1);
    System.arraycopy(openStartNs, 1, openStartNs, 0, DEPTH - 1);
    System.arraycopy(startFigures, KernelFigures.COUNT, startFigures, 0, (DEPTH - 1) * KernelFigures.COUNT);
    depth--;
  }

  /** By its thread: the span at {@code level} of the open stack ended at {@code endNs}. */
  void ended(int level, long endNs) {
    long count = (long) ENDED_COUNT.getOpaque(this);
    int at = (int) (count & (ENDED - 1)) * 5;
    ended[at] = openStartNs[level];
    ended[at + 1] = endNs;
    ended[at + 2] = openTraceHigh[level];
    ended[at + 3] = openTraceLow[level];
    ended[at + 4] = openSpanIds[level];
    ENDED_COUNT.setRelease(this, count + 1);
  }

  /**
   * By any thread: the ended span that held {@code monotonicNs}, newest first among the latest
   * three quarters of the ring, or null.
   */
  SpanLink endedAt(long monotonicNs) {
    long count = (long) ENDED_COUNT.getAcquire(this);
    for (long i = count - 1; i >= Math.max(0, count - ENDED * 3 / 4); i--) {
      int at = (int) (i & (ENDED - 1)) * 5;
      if (ended[at] <= monotonicNs && monotonicNs <= ended[at + 1]) {
        return new SpanLink(ended[at + 2], ended[at + 3], ended[at + 4]);
      }
      if (ended[at + 1] < monotonicNs) {
        return null; // ended before it: so did every older one on this thread
      }
    }
    return null;
  }
}
