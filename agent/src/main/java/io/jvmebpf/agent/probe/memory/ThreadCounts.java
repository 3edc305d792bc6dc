package io.jvmebpf.agent.probe.memory;

import static io.jvmebpf.agent.probe.memory.MemoryLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * One thread's {@code struct thread_memory} as the kernel counted it: its calls to the allocator
 * and for memory, its user-mode faults, and the kernel's fault counters at its first traced fault
 * and (once {@code exited}) at its exit. Read for the report and for JFR's periodic events.
 */
public record ThreadCounts(
    long mallocCalls, long mallocBytes, long freeCalls, long mmapCalls, long mmapBytes, long munmapCalls,
    long munmapBytes, long brkCalls, long brkBytes, long faults, long minorStart, long majorStart, long minorEnd,
    long majorEnd, boolean exited) {
  static ThreadCounts of(MemorySegment value) {
    return new ThreadCounts(
        value.get(JAVA_LONG, THREAD_ALLOC_CALLS), value.get(JAVA_LONG, THREAD_ALLOC_BYTES),
        value.get(JAVA_LONG, THREAD_FREE_CALLS), value.get(JAVA_LONG, THREAD_MMAP_CALLS),
        value.get(JAVA_LONG, THREAD_MMAP_BYTES), value.get(JAVA_LONG, THREAD_MUNMAP_CALLS),
        value.get(JAVA_LONG, THREAD_MUNMAP_BYTES), value.get(JAVA_LONG, THREAD_BRK_CALLS),
        value.get(JAVA_LONG, THREAD_BRK_BYTES), value.get(JAVA_LONG, THREAD_FAULTS),
        value.get(JAVA_LONG, THREAD_MIN_FLT_START), value.get(JAVA_LONG, THREAD_MAJ_FLT_START),
        value.get(JAVA_LONG, THREAD_MIN_FLT_END), value.get(JAVA_LONG, THREAD_MAJ_FLT_END),
        value.get(JAVA_LONG, THREAD_EXITED) != 0);
  }
}
