package io.jvmebpf.agent.spans;

import io.jvmebpf.agent.otel.SpanLink;
import io.jvmebpf.agent.otel.SpanLinks;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A session's span hook: at a server or consumer span's start it reads the thread's running
 * totals from its slot, at the span's end again, and the difference is what the kernel saw on the
 * thread while the span was open. Allocates nothing per span: a thread's state is made at its
 * first span, a name's totals at its first end.
 */
final class SpanAttribution implements SpanLinks {
  private final ThreadSlots slots;
  private final ThreadLocal<SpanThread> threads = new ThreadLocal<>();
  private final ConcurrentHashMap<Integer, SpanThread> byTid = new ConcurrentHashMap<>();
  private final SpanNames names = new SpanNames();
  // Every request thread's span ends here: adders, not one word all of them contend for.
  private final LongAdder ended = new LongAdder();
  private final LongAdder attributed = new LongAdder();
  private final LongAdder wallNs = new LongAdder();
  private final LongAdder attributedWallNs = new LongAdder();
  private final AtomicLong slotsFull = new AtomicLong();

  SpanAttribution(ThreadSlots slots) {
    this.slots = slots;
  }

  void start(long traceHigh, long traceLow, long spanId) {
    SpanThread thread = thread();
    if (thread.slot < 0) {
      return;
    }
    if (thread.depth == SpanThread.DEPTH) {
      thread.dropOldest(); // spans handed to other threads to end never leave this stack
    }
    int level = thread.depth++;
    thread.openSpanIds[level] = spanId;
    thread.openTraceHigh[level] = traceHigh;
    thread.openTraceLow[level] = traceLow;
    thread.openStartNs[level] = slots.read(thread.slot, thread.startFigures, level * KernelFigures.COUNT);
  }

  /**
   * The span {@code spanId} ends on this thread after {@code latencyNs}: true, with the kernel's
   * figures for it in {@code deltas}, when it was started here.
   */
  boolean end(String name, long spanId, long latencyNs, long[] deltas) {
    ended.increment();
    wallNs.add(latencyNs);
    SpanThread thread = threads.get();
    if (thread == null || thread.slot < 0) {
      return false;
    }
    int level = thread.depth - 1;
    while (level >= 0 && thread.openSpanIds[level] != spanId) {
      level--;
    }
    if (level < 0) {
      return false; // started on another thread, or too deep to follow
    }
    long endNs = slots.read(thread.slot, deltas, 0);
    int from = level * KernelFigures.COUNT;
    for (int i = 0; i < KernelFigures.COUNT; i++) {
      deltas[i] -= thread.startFigures[from + i];
    }
    thread.ended(level, endNs);
    thread.depth = level; // spans opened above it and never ended here are dropped with it
    long wall = endNs - thread.openStartNs[level];
    names.add(name, wall, deltas);
    attributed.increment();
    attributedWallNs.add(wall);
    return true;
  }

  private SpanThread thread() {
    SpanThread thread = threads.get();
    if (thread == null) {
      thread = new SpanThread(CurrentThreadId.get());
      thread.slot = slots.claim(thread.tid);
      if (thread.slot < 0) {
        slotsFull.incrementAndGet();
      } else {
        byTid.put(thread.tid, thread);
      }
      threads.set(thread);
    }
    return thread;
  }

  @Override
  public SpanLink at(int tid, long monotonicNs) {
    SpanThread thread = byTid.get(tid);
    return thread == null ? null : thread.endedAt(monotonicNs);
  }

  SpanSummary summary() {
    return new SpanSummary(ended.sum(), attributed.sum(), wallNs.sum(), attributedWallNs.sum(),
        slotsFull.get(), names.snapshot());
  }
}
