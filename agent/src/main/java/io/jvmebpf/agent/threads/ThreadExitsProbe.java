package io.jvmebpf.agent.threads;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.jvmebpf.agent.probe.PolledBpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.ProcessScope;
import io.jvmebpf.bpf.RingBuffer;
import java.lang.foreign.MemorySegment;

/**
 * Feeds the {@link ThreadRegistry} the last name of every thread of the JVM that exits, from
 * {@code threads.bpf.c}'s ring buffer, so that short-lived native threads keep their names in the
 * report after {@code /proc/self/task/TID} is gone.
 */
public final class ThreadExitsProbe extends PolledBpfProbe {
  // struct thread_exit_event in threads.h
  private static final int EVENT_BYTES = 32;
  private static final long EVENT_TID = 0;
  private static final long EVENT_COMM = 16;
  private static final int POLL_MS = 200;

  private final ThreadRegistry registry;
  private RingBuffer exits;

  public ThreadExitsProbe(ThreadRegistry registry) {
    super("threads", POLL_MS);
    this.registry = registry;
  }

  @Override
  public String name() {
    return "threads";
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("lost_exits"), 4, 8);
  }

  /** Its one program records exits: a pause would lose the names of threads that end in it. */
  @Override
  protected boolean keptWhilePaused(String program) {
    return true;
  }

  @Override
  protected long configSize() {
    return ProcessScope.BYTES; // struct threads_config
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    exits = RingBuffer.open(object.map("thread_exits"), this::onExit);
    startPolling("threads", exits, () -> {}, context.log());
  }

  private void onExit(MemorySegment event) {
    if (event.byteSize() < EVENT_BYTES) {
      return;
    }
    // bpf_get_current_comm always NUL-terminates within the 16 bytes.
    registry.exited(event.get(JAVA_INT, EVENT_TID), event.getString(EVENT_COMM));
  }

  @Override
  protected void report(BpfObject object, ReportBuilder report) {
    exits.consume();
    report.dropped("threads.exitEventsLost", object.map("lost_exits").counter(0));
    report.dropped("threads.exitEventsUnreadable", exits.handlerFailures());
    report.dropped("threads.namesForgotten", registry.forgotten());
  }

  @Override
  protected void release() {
    if (exits != null) {
      exits.close();
    }
  }
}
