package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.report.ChildProcess;
import io.jvmebpf.agent.threads.ThreadIdentity;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * A process a JVM thread started, committed when it ended: the fields of a row of
 * {@code processes} in {@code summary.json}. Children still running are in the report only.
 */
@Name(KernelEvents.PREFIX + "ChildProcess")
@Label("Child Process")
@Category({KernelEvents.CATEGORY, "Processes"})
@Description("A process the JVM started (fork or ProcessBuilder), with its command line and how it ended")
@StackTrace(false)
@Registered(false)
public final class ChildProcessEvent extends ThreadEvent {
  @Label("Pid")
  long pid;

  @Label("Command Line")
  @Description("Its last exec's arguments, space-separated, the first 512 bytes")
  String commandLine;

  @Label("Started At")
  @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
  long startedAt;

  @Label("Lifetime")
  @Timespan
  long lifetime;

  @Label("Exit Code")
  @Description("-1 when a signal ended it")
  int exitCode;

  @Label("Signal")
  @Description("The signal that ended it, 0 for none")
  int signal;

  @Label("CPU Time")
  @Description("The CPU time of all its threads, as the scheduler had it at the exit")
  @Timespan
  long cpuTime;

  /** @param who the thread that forked it */
  public void send(ThreadIdentity who, ChildProcess child) {
    thread(who);
    pid = child.pid();
    commandLine = String.join(" ", child.argv());
    startedAt = child.startedAt().toEpochMilli();
    lifetime = child.durationNs();
    exitCode = child.exitCode() == null ? -1 : child.exitCode();
    signal = child.signal() == null ? 0 : child.signal();
    cpuTime = child.cpuNs() == null ? 0 : child.cpuNs();
    commit();
  }
}
