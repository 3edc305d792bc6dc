package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.threads.ThreadIdentity;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/**
 * What every event of the agent says of the thread it is about. Not JFR's {@code eventThread}:
 * the agent commits on its own threads, about threads it knows by their kernel id only (a Java
 * thread's name and id come from the thread registry).
 */
abstract class ThreadEvent extends Event {
  @Label("OS Thread Id")
  @Description("The kernel's id of the thread (its tid)")
  int tid;

  @Label("Thread")
  @Description("The thread's Java name, or the kernel's name of a thread the JVM did not name")
  String threadName;

  @Label("Java Thread Id")
  @Description("The thread's Java id, or -1 for a thread that is not a Java thread")
  long javaThreadId;

  final void thread(ThreadIdentity who) {
    tid = who.tid();
    threadName = who.name();
    javaThreadId = who.javaThreadId() == null ? -1 : who.javaThreadId();
  }
}
