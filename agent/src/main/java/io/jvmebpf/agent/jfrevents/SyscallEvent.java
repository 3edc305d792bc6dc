package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.report.SyscallSummary;
import io.jvmebpf.agent.threads.ThreadIdentity;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One thread's calls of one syscall since the agent started, as the kernel counted them: the same
 * figures as {@code threads[].syscalls} in {@code summary.json}. Periodic: each period repeats
 * every pair's totals so far, so a recording's last event of a pair holds its figures at the time.
 */
@Name(KernelEvents.PREFIX + "Syscall")
@Label("Syscalls")
@Category({KernelEvents.CATEGORY, "Syscalls"})
@Description("A thread's calls of one syscall since jvm-ebpf started, counted in the kernel")
@Period("10 s")
@StackTrace(false)
@Registered(false)
final class SyscallEvent extends ThreadEvent {
  @Label("Syscall")
  String syscall;

  @Label("Calls")
  long calls;

  @Label("Errors")
  @Description("Calls that returned an error")
  long errors;

  @Label("Total Time")
  @Timespan
  long totalTime;

  @Label("Longest Call")
  @Timespan
  long maxTime;

  void send(ThreadIdentity who, SyscallSummary summary) {
    thread(who);
    syscall = summary.name();
    calls = summary.count();
    errors = summary.errors();
    totalTime = summary.totalNs();
    maxTime = summary.maxNs();
    commit();
  }
}
