package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.threads.ThreadIdentity;
import java.time.Instant;
import java.util.List;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * A block of at least {@code offcpu.min}, as the scheduler saw it, with why and where: committed
 * once the JVM's own record of it has been joined (a few seconds later), so JFR's start time is
 * the commit; the block's own start and length are fields. Stacks are text, leaf first: JFR's
 * API records only the committing thread's own stack.
 */
@Name(KernelEvents.PREFIX + "OffCpu")
@Label("Off-CPU Interval")
@Category({KernelEvents.CATEGORY, "Scheduler"})
@Description("A thread blocked for at least offcpu.min, with the reason and the kernel and Java stacks")
@StackTrace(false)
@Registered(false)
public final class OffCpuEvent extends ThreadEvent {
  @Label("Blocked At")
  @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
  long blockedAt;

  @Label("Off-CPU Time")
  @Timespan
  long offCpuTime;

  @Label("Reason")
  @Description("sleep, park, monitor, wait, io, page-fault, futex, other or unknown, as in summary.json")
  String reason;

  @Label("Syscall")
  @Description("The syscall the thread blocked in, empty outside one")
  String syscall;

  @Label("Kernel Stack")
  @Description("Where the thread slept in the kernel, leaf first, one frame per line")
  String kernelStack;

  @Label("Java Stack")
  @Description("The JVM's record of the block (or its sample of the thread in native code), leaf first")
  String javaStack;

  /** @param kernel and {@code java}: root first, as the probes keep them */
  public void send(ThreadIdentity who, Instant at, long ns, String why, String syscallName,
      List<Frame> kernel, List<Frame> java) {
    thread(who);
    blockedAt = at.toEpochMilli();
    offCpuTime = ns;
    reason = why;
    syscall = syscallName == null ? "" : syscallName;
    kernelStack = StackText.leafFirst(kernel);
    javaStack = StackText.leafFirst(java);
    commit();
  }
}
