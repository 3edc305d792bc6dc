package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.probe.memory.ThreadCounts;
import io.jvmebpf.agent.threads.ThreadIdentity;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;

/**
 * One thread's calls to the C library's allocator and its page faults since the agent started, as
 * the kernel counted them: the figures of {@code threads[].nativeMemory} and {@code pageFaults} in
 * {@code summary.json}, but for the blocks still held, which only the report sums. Periodic, as
 * {@link SyscallEvent} is: a recording's last event of a thread holds its figures at the time.
 */
@Name(KernelEvents.PREFIX + "NativeMemory")
@Label("Native Memory")
@Category({KernelEvents.CATEGORY, "Memory"})
@Description("A thread's allocator calls and page faults since jvm-ebpf started, counted in the kernel")
@Period("10 s")
@StackTrace(false)
@Registered(false)
final class NativeMemoryEvent extends ThreadEvent {
  @Label("Allocations")
  @Description("Calls of malloc, calloc, realloc, posix_memalign, aligned_alloc and memalign (nativemem=on)")
  long mallocCalls;

  @Label("Bytes Allocated")
  @DataAmount
  long mallocBytes;

  @Label("Frees")
  long freeCalls;

  @Label("Bytes Mapped")
  @Description("Lengths given to mmap: address space, reserved or not")
  @DataAmount
  long mmapBytes;

  @Label("Bytes Unmapped")
  @DataAmount
  long munmapBytes;

  @Label("Page Faults")
  @Description("Faults the thread's own code took (faults=on)")
  long pageFaults;

  void send(ThreadIdentity who, ThreadCounts counts) {
    thread(who);
    mallocCalls = counts.mallocCalls();
    mallocBytes = counts.mallocBytes();
    freeCalls = counts.freeCalls();
    mmapBytes = counts.mmapBytes();
    munmapBytes = counts.munmapBytes();
    pageFaults = counts.faults();
    commit();
  }
}
