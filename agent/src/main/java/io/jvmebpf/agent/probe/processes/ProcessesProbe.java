package io.jvmebpf.agent.probe.processes;

import static io.jvmebpf.agent.probe.processes.ProcessLayouts.ARGV_BYTES;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.CHILDREN_FULL;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.CHILD_ARGV;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.CHILD_ARGV_BYTES;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.CHILD_BYTES;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.CHILD_PID;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.CHILD_START_NS;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.CHILD_TID;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.EXITS_LOST;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.EXIT_BYTES;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.EXIT_CHILD;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.EXIT_CPU_NS;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.EXIT_END_NS;
import static io.jvmebpf.agent.probe.processes.ProcessLayouts.EXIT_STATUS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.jfrevents.ChildProcessEvent;
import io.jvmebpf.agent.jfrevents.Deferred;
import io.jvmebpf.agent.probe.PolledBpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.report.ChildProcess;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.ProcessScope;
import io.jvmebpf.bpf.RingBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The processes the JVM starts, from {@code processes.bpf.c}: one ring-buffer event per child
 * that ended, with its command line, status and CPU time; at the report, the children still
 * running are read from the kernel's map.
 */
public final class ProcessesProbe extends PolledBpfProbe {
  /** Children kept for the report; more are counted under {@code processes.reportFull}. */
  public static final int MAX_REPORTED = 10_000;
  /** What stands for a child's arguments with {@code redact=argv}. */
  static final String REDACTED = "[arguments redacted]";
  private static final int POLL_MS = 200;

  /** A child as the kernel described it; {@code endNs} and {@code cpuNs} are -1 while it runs. */
  private record Child(long pid, int tid, long startNs, long endNs, int status, long cpuNs, byte[] argv) {}

  private final List<Child> ended = new ArrayList<>();
  private long reportFull;
  private ThreadRegistry threads;
  private Deferred<Child> toJfr;
  private ProfileSpan.Start clock;
  private RingBuffer exits;
  private boolean redactArgv;

  public ProcessesProbe() {
    super("processes", POLL_MS);
  }

  @Override
  public String name() {
    return "processes";
  }

  /**
   * Every program stays: they record a child's life (fork, exec, exit), and a child that exited
   * unseen would stay in {@code children} as running, a slot lost until the report.
   */
  @Override
  protected boolean keptWhilePaused(String program) {
    return true;
  }

  @Override
  protected long configSize() {
    return ProcessScope.BYTES; // struct processes_config
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("children"), 4, CHILD_BYTES);
    requireSize(object.map("scratch"), 4, CHILD_BYTES);
    requireSize(object.map("counters"), 4, 8);
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    threads = context.threads();
    redactArgv = context.options().redactArgv();
    clock = ProfileSpan.Start.now();
    toJfr = new Deferred<>(this::sendToJfr, Child::tid, threads);
    exits = RingBuffer.open(object.map("exits"), this::onExit);
    startPolling("processes", exits, toJfr::releaseDue, context.log());
  }

  /** An ended child as a JFR event, once the thread that forked it has its Java name. */
  private void sendToJfr(Child child) {
    ChildProcessEvent event = new ChildProcessEvent();
    if (event.shouldCommit()) {
      event.send(threads.identify(child.tid()), describe(child, child.endNs()));
    }
  }

  private void onExit(MemorySegment event) {
    if (event.byteSize() < EXIT_BYTES) {
      return;
    }
    Child child = child(event.asSlice(EXIT_CHILD, CHILD_BYTES), event.get(JAVA_LONG, EXIT_END_NS),
        event.get(JAVA_INT, EXIT_STATUS), event.get(JAVA_LONG, EXIT_CPU_NS));
    if (new ChildProcessEvent().shouldCommit()) {
      toJfr.hold(child);
    }
    // The poller takes records outside the round lock: a poller that outlived its join may still.
    synchronized (ended) {
      if (ended.size() >= MAX_REPORTED) {
        reportFull++;
      } else {
        ended.add(child);
      }
    }
  }

  private Child child(MemorySegment child, long endNs, int status, long cpuNs) {
    int argvBytes = Math.min(Math.max(child.get(JAVA_INT, CHILD_ARGV_BYTES), 0), ARGV_BYTES);
    byte[] argv = child.asSlice(CHILD_ARGV, argvBytes).toArray(JAVA_BYTE);
    if (redactArgv) {
      argv = redacted(argv); // as soon as read: the arguments are never held, only the ring saw them
    }
    return new Child(Integer.toUnsignedLong(child.get(JAVA_INT, CHILD_PID)), child.get(JAVA_INT, CHILD_TID),
        child.get(JAVA_LONG, CHILD_START_NS), endNs, status, cpuNs, argv);
  }

  @Override
  protected void report(BpfObject object, ReportBuilder report) {
    long now = System.nanoTime();
    // The map before the ring: a child that ends in between is then in both, and its end wins.
    List<Child> running = new ArrayList<>();
    object.map("children").forEach((key, value) -> running.add(child(value, -1, 0, -1)));
    exits.consume();
    toJfr.releaseAll();
    List<Child> all;
    synchronized (ended) {
      all = new ArrayList<>(ended);
    }
    Set<String> endedKeys = new HashSet<>();
    for (Child child : all) {
      endedKeys.add(child.pid() + "@" + child.startNs());
    }
    for (Child child : running) {
      if (endedKeys.contains(child.pid() + "@" + child.startNs())) {
        continue;
      }
      if (all.size() >= MAX_REPORTED) {
        reportFull++;
      } else {
        all.add(child);
      }
    }
    all.sort(Comparator.comparingLong(Child::startNs).thenComparingLong(Child::pid));
    List<ChildProcess> processes = new ArrayList<>(all.size());
    for (Child child : all) {
      processes.add(describe(child, now));
    }
    report.processes(processes);
    report.dropped("processes.childrenMapFull", object.map("counters").counter(CHILDREN_FULL));
    report.dropped("processes.exitEventsLost", object.map("counters").counter(EXITS_LOST));
    report.dropped("processes.exitEventsUnreadable", exits.handlerFailures());
    synchronized (ended) {
      report.dropped("processes.reportFull", reportFull);
    }
  }

  private ChildProcess describe(Child child, long now) {
    boolean over = child.endNs() >= 0;
    // wait(2)'s status: a normal exit has its code in bits 8-15 and no signal in bits 0-6.
    int signal = child.status() & 0x7f;
    Integer exitCode = over && signal == 0 ? (child.status() >> 8) & 0xff : null;
    return new ChildProcess(
        child.pid(), argv(child.argv()), threads.identify(child.tid()).name(), child.tid(),
        clock.instant(child.startNs()),
        exitCode, over && signal != 0 ? signal : null,
        Math.max(0, (over ? child.endNs() : now) - child.startNs()), over ? child.cpuNs() : null);
  }

  /**
   * The program (argv[0]) and, when there were arguments, {@value #REDACTED} in their place:
   * {@code redact=argv}, for command lines that carry secrets.
   */
  static byte[] redacted(byte[] argv) {
    for (int i = 0; i < argv.length; i++) {
      if (argv[i] == 0) {
        boolean more = i + 1 < argv.length;
        byte[] kept = Arrays.copyOf(argv, more ? i + 1 + REDACTED.length() : i);
        if (more) {
          System.arraycopy(REDACTED.getBytes(StandardCharsets.UTF_8), 0, kept, i + 1, REDACTED.length());
        }
        return kept;
      }
    }
    return argv;
  }

  /** NUL-separated arguments; the last one may be cut at {@value ProcessLayouts#ARGV_BYTES} bytes. */
  static List<String> argv(byte[] bytes) {
    List<String> args = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length ? i > from : bytes[i] == 0) {
        args.add(new String(bytes, from, i - from, StandardCharsets.UTF_8));
        from = i + 1;
      }
    }
    return List.copyOf(args);
  }

  @Override
  protected void release() {
    if (exits != null) {
      exits.close();
    }
  }
}
