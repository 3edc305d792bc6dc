package io.jvmebpf.agent.probe.offcpu;

import static io.jvmebpf.agent.probe.offcpu.OffCpuLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * What the kernel sums off-CPU time by (struct offcpu_key): the thread, its state when it left the
 * CPU, the syscall it blocked in (-1: none, a page fault), the hash of the kernel stack where it
 * slept (long blocks only) and of its user stack.
 */
record OffCpuKey(int tid, int state, int syscall, long kernelStack, long userStack) {
  static OffCpuKey read(MemorySegment segment, long offset) {
    return new OffCpuKey(
        segment.get(JAVA_INT, offset + KEY_TID), segment.get(JAVA_INT, offset + KEY_STATE),
        segment.get(JAVA_INT, offset + KEY_SYSCALL), segment.get(JAVA_LONG, offset + KEY_KERNEL_STACK),
        segment.get(JAVA_LONG, offset + KEY_USER_STACK));
  }
}
