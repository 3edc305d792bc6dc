package io.jvmebpf.agent.control;

import io.jvmebpf.agent.AgentSession;
import io.jvmebpf.agent.AgentThreads;
import io.jvmebpf.agent.jvm.DiagnosticCommands;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.memory.NativeHeap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one session of this JVM and the commands that reach it. Every entry into the agent
 * ({@code premain}, and each {@code agentmain} the command-line tool makes through the Attach API)
 * lands here; the core's module layer is loaded once per JVM, so this class's state is the JVM's.
 * Commands run one at a time, on the caller's thread (the Attach Listener's for the tool), so that
 * {@code loadAgent} returns once the command is done and its reply written.
 */
public final class Controller {
  private static final Object LOCK = new Object();
  private static Running running; // guarded by LOCK
  private static int dumps; // guarded by LOCK: dump folders numbered in this JVM's life
  /** How long stop waits for the agent's threads to end after their joins returned. */
  private static final Duration THREADS_END_WITHIN = Duration.ofSeconds(1);

  /** The session under way and what restarts it after a dump. */
  private record Running(AgentSession session, String options, SessionStart.Starter starter, Thread hook) {}

  private Controller() {}

  /**
   * Runs one request and writes its reply, if asked for, to {@link ControlRequest#reply()}: a
   * first line {@code ok} or {@code error}, then sentences for a person. Never throws.
   */
  public static void handle(ControlRequest request, SessionStart.Starter starter, boolean attached, AgentLog log) {
    Reply reply;
    synchronized (LOCK) {
      try {
        reply = run(request, starter, attached, log);
      } catch (RuntimeException | LinkageError e) {
        reply = Reply.error("the command failed in the JVM: " + e);
      }
    }
    if (request.reply() != null) {
      try {
        // Only into the file the tool made (its owner and mode are the tool's choice): if it is
        // gone, the tool gave up waiting, and no file is left behind in its place.
        Files.writeString(request.reply(), reply.text(), StandardCharsets.UTF_8,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException e) {
        log.debug("could not write the reply to " + request.reply() + ": " + e);
      }
    }
  }

  private static Reply run(ControlRequest request, SessionStart.Starter starter, boolean attached, AgentLog log) {
    if (request.problem() != null) {
      return Reply.error(request.problem());
    }
    return switch (request.command()) {
      case START -> start(request.options(), starter, attached, log);
      case STATUS -> status();
      case PAUSE -> onSession(r -> {
        r.session().pause();
        return Reply.ok("paused: every BPF program that takes data detached (those that see closes and exits stay),"
            + " maps and threads kept; resume with 'resume'");
      });
      case RESUME -> onSession(r -> resume(r.session()));
      case DUMP -> onSession(r -> dump(r, request.out()));
      case STOP -> onSession(r -> stop(r, request.out()));
    };
  }

  private static Reply start(String options, SessionStart.Starter starter, boolean attached, AgentLog log) {
    if (running != null) {
      String since = "jvm-ebpf already runs in this JVM (since " + running.session().status().startedAt() + ")";
      if (!attached) {
        // A second -javaagent: no tool waits for a reply, so the JVM's log is the only place to say it.
        String line = since + "; this second -javaagent is ignored: give the agent once";
        log.info(line);
        return Reply.error(line);
      }
      return Reply.error(since + "; 'stop' it first, or use 'status' and 'dump'");
    }
    SessionStart started = starter.start(options);
    List<String> lines = new ArrayList<>(List.of(started.line()));
    if (attached && !DiagnosticCommands.flagOn("EnableDynamicAgentLoading")) {
      lines.add("the JVM printed 'WARNING: A Java agent has been loaded dynamically' on its stderr, as JDK 21+ does"
          + " for every agent loaded into a running JVM that was not started with -XX:+EnableDynamicAgentLoading"
          + " (each command of this tool loads the agent again, and prints it again)");
    }
    if (started instanceof SessionStart.Started s) {
      Thread hook = AgentThreads.unstarted("report", Controller::atExit, log);
      Runtime.getRuntime().addShutdownHook(hook);
      running = new Running(s.session(), options, starter, hook);
      return Reply.ok(lines);
    }
    return Reply.error(lines);
  }

  private static Reply status() {
    if (running == null) {
      return Reply.ok("jvm-ebpf is loaded in this JVM but not running (stopped, or never started)");
    }
    AgentSession.Status status = running.session().status();
    Duration up = Duration.between(status.startedAt(), Instant.now());
    List<String> lines = new ArrayList<>();
    lines.add((status.paused() ? "paused" : "running") + " since " + status.startedAt()
        + " (" + seconds(up.toNanos()) + " s, of which paused " + seconds(status.pausedNs()) + " s)");
    running.session().probes().featureLines().forEach((name, line) -> lines.add("  " + name + ": " + line));
    lines.add("samples: " + status.counts().samples());
    lines.add("lost: " + status.counts().lost()); // the CPU profiler's (LiveCounts); the rest at the report
    lines.add("report: " + status.out() + " (at exit, or on dump and stop)");
    return Reply.ok(lines);
  }

  /**
   * Ends one report period and starts the next: the session writes its report and detaches, and a
   * new one starts with the same options, paused if this one was. A report covers the time since
   * the last dump (or the start) up to its own writing.
   */
  private static Reply dump(Running current, Path out) {
    AgentSession session = current.session();
    boolean paused = session.status().paused();
    Path folder = out != null ? out : nextDumpFolder(session.status().out());
    Path written = session.stop(folder);
    NativeHeap.trim(); // before the next session's allocations: what the last one malloc'd goes back
    SessionStart next = current.starter().start(current.options());
    List<String> lines = new ArrayList<>();
    lines.add(written == null ? "the report could not be written to " + folder.toAbsolutePath()
        + " (the JVM's stderr says why)" : "report written to " + written.getParent());
    if (next instanceof SessionStart.Started s) {
      running = new Running(s.session(), current.options(), current.starter(), current.hook());
      if (paused) {
        s.session().pause();
      }
      lines.add("the next report period has begun" + (paused ? ", paused" : "") + "; its report comes at exit,"
          + " or with the next dump or stop");
    } else {
      removeHook(current.hook());
      running = null;
      lines.add("collection could not start again: " + next.line());
    }
    return written == null ? Reply.error(lines) : Reply.ok(lines);
  }

  private static Reply resume(AgentSession session) {
    try {
      session.resume();
      return Reply.ok("resumed: every BPF program attached again");
    } catch (RuntimeException e) {
      return Reply.error("still paused: " + e.getMessage(), "every probe stays detached; try 'resume' again, or 'stop'");
    }
  }

  private static Path nextDumpFolder(Path out) {
    Path folder;
    do {
      folder = out.resolve("dump-" + ++dumps);
    } while (Files.exists(folder));
    return folder;
  }

  private static Reply stop(Running stopping, Path out) {
    running = null;
    removeHook(stopping.hook());
    long started = System.nanoTime();
    Path written = out != null ? stopping.session().stop(out) : stopping.session().stop();
    // Said only once checked: a thread that outlived its join would still be the agent's code running.
    List<String> survivors = AgentThreads.stillAlive(THREADS_END_WITHIN);
    NativeHeap.trim(); // the JVM runs on: what the session malloc'd goes back to the system
    String detached = "detached in " + (System.nanoTime() - started) / 1_000_000 + " ms (report included): every BPF"
        + " link and map closed, " + (survivors.isEmpty() ? "the agent's threads ended; the JVM runs on"
            : "but these threads of the agent still run: " + String.join(", ", survivors));
    if (written == null) {
      return Reply.error("the report could not be written (the JVM's stderr says why); " + detached);
    }
    return survivors.isEmpty()
        ? Reply.ok("report written to " + written.getParent(), detached)
        : Reply.error("report written to " + written.getParent(), detached);
  }

  private static Reply onSession(Function<Running, Reply> command) {
    if (running == null) {
      return Reply.error("jvm-ebpf is not running in this JVM: attach first");
    }
    return command.apply(running);
  }

  /** The shutdown hook: the report of whatever session runs when the JVM exits. */
  private static void atExit() {
    synchronized (LOCK) {
      if (running != null) {
        running.session().stop();
        running = null;
      }
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs, finds no session and returns
    }
  }

  private static String seconds(long ns) {
    return String.format(Locale.ROOT, "%.1f", ns / 1e9);
  }

  /** The answer to one command: its status word, then lines for a person. */
  private record Reply(boolean ok, List<String> lines) {
    static Reply ok(String... lines) {
      return new Reply(true, List.of(lines));
    }

    static Reply ok(List<String> lines) {
      return new Reply(true, lines);
    }

    static Reply error(String... lines) {
      return new Reply(false, List.of(lines));
    }

    static Reply error(List<String> lines) {
      return new Reply(false, lines);
    }

    String text() {
      return (ok ? "ok" : "error") + "\n" + String.join("\n", lines) + "\n";
    }
  }
}
