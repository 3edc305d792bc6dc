package io.jvmebpf.agent.spans;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.bpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The kernel's per-thread running totals ({@code spans.bpf.c}'s {@code slots}), mapped into this
 * process: a thread claims a slot once (a syscall), then reads its own totals as memory.
 */
final class ThreadSlots implements AutoCloseable {
  private static final VarHandle LONG = JAVA_LONG.varHandle().withInvokeExactBehavior();

  private final Arena arena = Arena.ofShared();
  private final MemorySegment slots;
  private final BpfMap slotOf;

  ThreadSlots(BpfMap slotsMap, BpfMap slotOf) {
    this.slots = slotsMap.mapShared(arena);
    this.slotOf = slotOf;
  }

  /**
   * Gives the calling thread, {@code tid}, a free slot, starting its totals at zero, running:
   * the index, or -1 when every slot is taken.
   */
  synchronized int claim(int tid) {
    for (int index = 0; index < SpanLayouts.MAX_THREADS; index++) {
      long base = (long) index * SpanLayouts.THREAD_BYTES;
      if (slots.get(JAVA_INT, base + SpanLayouts.TID) != 0) {
        continue;
      }
      slots.asSlice(base, SpanLayouts.THREAD_BYTES).fill((byte) 0);
      slots.set(JAVA_INT, base + SpanLayouts.PHASE, SpanLayouts.ON_CPU);
      slots.set(JAVA_LONG, base + SpanLayouts.SINCE_NS, System.nanoTime());
      slots.set(JAVA_INT, base + SpanLayouts.TID, tid);
      // From here the kernel writes the slot: a syscall, so the writes above are seen first.
      try (Arena call = Arena.ofConfined()) {
        slotOf.update(call.allocateFrom(JAVA_INT, tid), call.allocateFrom(JAVA_INT, index));
      }
      return index;
    }
    return -1;
  }

  /**
   * Reads the calling thread's own totals, in {@link KernelFigures} order, into {@code figures}
   * from {@code offset}. Called by the slot's thread only, while it runs: the kernel writes the
   * slot only while it does not, so a read that a switch-out cut is simply read again. Returns
   * the time the totals are of (CLOCK_MONOTONIC).
   */
  long read(int index, long[] figures, int offset) {
    long base = (long) index * SpanLayouts.THREAD_BYTES;
    long switches;
    long now;
    long onCpu;
    long runQueue;
    long sleep;
    long disk;
    int phase;
    long since;
    do {
      switches = (long) LONG.getAcquire(slots, base + SpanLayouts.SWITCHES);
      now = System.nanoTime();
      phase = slots.get(JAVA_INT, base + SpanLayouts.PHASE);
      since = slots.get(JAVA_LONG, base + SpanLayouts.SINCE_NS);
      onCpu = slots.get(JAVA_LONG, base + SpanLayouts.PHASE_NS + 8L * SpanLayouts.ON_CPU);
      runQueue = slots.get(JAVA_LONG, base + SpanLayouts.PHASE_NS + 8L * SpanLayouts.RUN_QUEUE);
      sleep = slots.get(JAVA_LONG, base + SpanLayouts.PHASE_NS + 8L * SpanLayouts.SLEEP);
      disk = slots.get(JAVA_LONG, base + SpanLayouts.PHASE_NS + 8L * SpanLayouts.DISK);
      figures[offset + KernelFigures.SYSCALLS] = slots.get(JAVA_LONG, base + SpanLayouts.SYSCALLS);
      figures[offset + KernelFigures.SENT_BYTES] = slots.get(JAVA_LONG, base + SpanLayouts.SENT_BYTES);
      figures[offset + KernelFigures.RECEIVED_BYTES] = slots.get(JAVA_LONG, base + SpanLayouts.RECEIVED_BYTES);
      figures[offset + KernelFigures.PAGE_FAULTS] = slots.get(JAVA_LONG, base + SpanLayouts.FAULTS);
      VarHandle.loadLoadFence();
    } while ((long) LONG.getAcquire(slots, base + SpanLayouts.SWITCHES) != switches);
    // Running now, so the phase under way is on CPU (set when it was switched in, or claimed).
    if (phase == SpanLayouts.ON_CPU && now > since) {
      onCpu += now - since;
    }
    figures[offset + KernelFigures.ON_CPU_NS] = onCpu;
    figures[offset + KernelFigures.RUN_QUEUE_NS] = runQueue;
    figures[offset + KernelFigures.SLEEP_NS] = sleep;
    figures[offset + KernelFigures.DISK_NS] = disk;
    figures[offset + KernelFigures.OFF_CPU_NS] = runQueue + sleep + disk;
    return now;
  }

  @Override
  public void close() {
    arena.close();
  }
}
