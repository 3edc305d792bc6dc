package io.jvmebpf.agent.probe.offcpu;

import static io.jvmebpf.agent.probe.offcpu.OffCpuLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * One thread's account: for {@code wallNs} from when the kernel began following it to its end or
 * now, its time on a CPU, in the run queue and off CPU, which add up to the wall time when the
 * kernel missed nothing, and a log2 histogram of its waits in the run queue.
 *
 * @param startNs when it was created (CLOCK_MONOTONIC), or 0 when that was before the agent
 * @param endNs when it ended, or 0 while it lives
 */
record ThreadTime(long wallNs, long onCpuNs, long runQueueNs, long offCpuNs, long[] runQueueLog2, long startNs,
    long endNs) {
  /**
   * Reads the kernel's entry (struct offcpu_thread), the phase under way closed at {@code nowNs}
   * (for an ended thread, at its end).
   */
  static ThreadTime read(MemorySegment thread, long nowNs, long agentStartNs) {
    long[] log2 = new long[RUN_QUEUE_BUCKETS];
    for (int i = 0; i < RUN_QUEUE_BUCKETS; i++) {
      log2[i] = thread.get(JAVA_LONG, THREAD_RUN_QUEUE_LOG2 + i * 8L);
    }
    int phase = thread.get(JAVA_INT, THREAD_PHASE);
    long since = thread.get(JAVA_LONG, THREAD_SINCE_NS);
    long end = phase == ENDED ? since : Math.max(nowNs, since);
    long open = end - since;
    long first = thread.get(JAVA_LONG, THREAD_FIRST_NS);
    return new ThreadTime(end - first,
        thread.get(JAVA_LONG, THREAD_ON_CPU_NS) + (phase == ON_CPU ? open : 0),
        thread.get(JAVA_LONG, THREAD_RUN_QUEUE_NS) + (phase == RUN_QUEUE ? open : 0),
        thread.get(JAVA_LONG, THREAD_OFF_CPU_NS) + (phase == OFF_CPU ? open : 0), log2,
        first == agentStartNs ? 0 : first, phase == ENDED ? end : 0);
  }

  /** This account ended at {@code endNs} if the kernel did not see it end (0: it lives on). */
  ThreadTime endedBy(long endNs) {
    return this.endNs != 0 || endNs == 0 ? this
        : new ThreadTime(wallNs, onCpuNs, runQueueNs, offCpuNs, runQueueLog2, startNs, endNs);
  }

  /** A thread the kernel saw no transition of from {@code firstNs} to {@code nowNs}: blocked. */
  static ThreadTime blockedThroughout(long firstNs, long nowNs) {
    return new ThreadTime(nowNs - firstNs, 0, 0, nowNs - firstNs, new long[RUN_QUEUE_BUCKETS], 0, 0);
  }

  /** Two accounts of one tid: an ended thread's and a later one's that reused its id. */
  ThreadTime plus(ThreadTime later) {
    long[] log2 = runQueueLog2.clone();
    for (int i = 0; i < log2.length; i++) {
      log2[i] += later.runQueueLog2[i];
    }
    return new ThreadTime(wallNs + later.wallNs, onCpuNs + later.onCpuNs, runQueueNs + later.runQueueNs,
        offCpuNs + later.offCpuNs, log2, startNs, later.endNs);
  }
}
