package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.probe.memory.MemoryProbe;
import io.jvmebpf.agent.probe.syscalls.SyscallProbe;
import io.jvmebpf.agent.threads.ThreadRegistry;
import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Name;

/**
 * The kernel's figures as JFR event types of the JVM's own recordings ({@code jfr.events=on}):
 * registered while the session runs, unregistered at its end. A recording the application starts
 * in any way (-XX:StartFlightRecording, jcmd JFR.start, JMC) records them with their defaults
 * unless its settings say otherwise; with none running they are off (the agent's own stream keeps
 * them so, see the jfr-bridge's {@code QuietEvents}) and cost a {@code shouldCommit()} check.
 *
 * <p>Events of the probes' own findings (off-CPU intervals, connections, child processes) are
 * committed by the probes where they read them; the periodic ones (syscalls, native memory) by a
 * hook here each, on JFR's periodic thread.
 */
public final class KernelEvents implements AutoCloseable {
  static final String PREFIX = "jvmebpf.";
  static final String CATEGORY = "jvm-ebpf";

  private static final List<Class<? extends Event>> TYPES = List.of(SyscallEvent.class, NativeMemoryEvent.class,
      OffCpuEvent.class, ConnectionEvent.class, ChildProcessEvent.class);
  /** The names of {@link #TYPES}, which the agent's own stream keeps quiet. */
  public static final List<String> NAMES =
      TYPES.stream().map(type -> type.getAnnotation(Name.class).value()).toList();

  /** A periodic event type: JFR calls {@code hook} each period, which runs {@code round}. */
  private record Periodic(Class<? extends Event> type, Runnable round, Runnable hook) {}

  private final SyscallProbe syscalls; // null when not running
  private final MemoryProbe memory; // null when not running
  private final ThreadRegistry threads;
  private final AgentLog log;
  private final List<Periodic> periodic;
  private boolean closed; // guarded by this
  private boolean failedOnce; // guarded by this

  private KernelEvents(SyscallProbe syscalls, MemoryProbe memory, ThreadRegistry threads, AgentLog log) {
    this.syscalls = syscalls;
    this.memory = memory;
    this.threads = threads;
    this.log = log;
    this.periodic = List.of(periodic(SyscallEvent.class, this::commitSyscalls),
        periodic(NativeMemoryEvent.class, this::commitNativeMemory));
  }

  private Periodic periodic(Class<? extends Event> type, Runnable round) {
    return new Periodic(type, round, () -> emit(type, round));
  }

  /**
   * Registers the event types.
   *
   * @param syscalls the running syscall probe, or null
   * @param memory the running memory probe, or null
   * @throws IllegalStateException saying why, when JFR refuses them
   */
  public static KernelEvents start(SyscallProbe syscalls, MemoryProbe memory, ThreadRegistry threads, AgentLog log) {
    KernelEvents events = new KernelEvents(syscalls, memory, threads, log);
    try {
      TYPES.forEach(FlightRecorder::register);
      events.periodic.forEach(p -> FlightRecorder.addPeriodicEvent(p.type(), p.hook()));
      return events;
    } catch (RuntimeException | LinkageError e) {
      events.close();
      throw new IllegalStateException("JFR did not take the agent's event types (" + e + ")", e);
    }
  }

  /**
   * One periodic round. On JFR's periodic thread, while a recording wants the event; never once
   * {@link #close()} has begun, so never on a closed probe.
   */
  private void emit(Class<? extends Event> type, Runnable round) {
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        round.run();
      } catch (RuntimeException e) {
        // On JFR's thread, which would log it on the application's output: one debug line instead.
        if (!failedOnce) {
          failedOnce = true;
          log.debug(type.getAnnotation(Name.class).value() + " events not committed: " + e);
        }
      }
    }
  }

  /** Every (thread, syscall) pair's totals so far. */
  private void commitSyscalls() {
    if (syscalls != null) {
      syscalls.perThread().forEach((tid, pairs) -> {
        var who = threads.identify(tid);
        for (var pair : pairs) {
          new SyscallEvent().send(who, pair);
        }
      });
    }
  }

  /** Every thread's allocator calls and page faults so far. */
  private void commitNativeMemory() {
    if (memory != null) {
      memory.perThread().forEach((tid, counts) -> new NativeMemoryEvent().send(threads.identify(tid), counts));
    }
  }

  /**
   * Commits a last round of the periodic events when a recording wants them (the figures of
   * {@code stop} and {@code dump}; at the JVM's exit JFR's own shutdown hook may end the recording
   * first), then unregisters every type. Waits for a periodic round under way, after which none
   * starts, so the probes may close once this returns. Nothing of JFR's is called under the lock:
   * its periodic thread may hold JFR's own while it waits for this one.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      for (Periodic p : periodic) {
        if (EventType.getEventType(p.type()).isEnabled()) {
          p.round().run();
        }
      }
    } catch (RuntimeException e) {
      // a type JFR never took (its start failed): nothing to commit
    } finally {
      for (Periodic p : periodic) {
        FlightRecorder.removePeriodicEvent(p.hook());
      }
      for (Class<? extends Event> type : TYPES) {
        try {
          FlightRecorder.unregister(type);
        } catch (RuntimeException e) {
          // a type JFR never took (its start failed): nothing to undo
        }
      }
    }
  }
}
