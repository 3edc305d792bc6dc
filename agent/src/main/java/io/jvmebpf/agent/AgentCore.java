package io.jvmebpf.agent;

import io.jvmebpf.agent.otel.ExtensionSettings;
import io.jvmebpf.agent.spans.SpanHooks;
import java.util.Map;
import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.control.ControlRequest;
import io.jvmebpf.agent.control.Controller;
import io.jvmebpf.agent.control.SessionStart;
import io.jvmebpf.agent.config.OptionsParser;
import io.jvmebpf.agent.config.OtelEnvironment;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.overhead.SelfOverhead;
import io.jvmebpf.agent.probe.FeatureStatus;
import io.jvmebpf.agent.probe.syscalls.SyscallProbe;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The core's entry point, called by the bootstrap once the core's module layer is defined. Parses
 * the options, starts a session and arranges the report at JVM exit. Never throws into the host.
 */
public final class AgentCore {
  /** The session of the last start that ran no probe, to report at exit, and its hook; or null. */
  private static AgentSession idle; // guarded by AgentCore.class
  private static Thread idleHook;

  private AgentCore() {}

  /** What runs and what does not, each reason said once however many features it turns off. */
  static String startLine(AgentSession session, AgentOptions options) {
    List<String> on = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, List<String>> offByReason = new LinkedHashMap<>();
    session.probes().features().forEach((name, status) -> {
      switch (status) {
        case FeatureStatus.On o -> {
          on.add(name);
          if (o.note() != null) {
            notes.add(name + ": " + o.note());
          }
        }
        case FeatureStatus.Off off -> offByReason.computeIfAbsent(off.reason(), r -> new ArrayList<>()).add(name);
      }
    });
    List<String> parts = new ArrayList<>();
    if (!on.isEmpty()) {
      parts.add("started in " + session.startupMs() + " ms: " + String.join(", ", on) + " on");
    }
    parts.addAll(notes);
    offByReason.forEach((reason, names) -> parts.add(
        (on.isEmpty() && offByReason.size() == 1 ? "off" : String.join(", ", names) + " off") + ": " + reason));
    if (!on.isEmpty() && deniesNativeAccess()) {
      parts.add("native access granted to jvm-ebpf's own module only; --illegal-native-access=deny"
          + " still holds for the application");
    }
    if (session.exportsTo() != null) {
      parts.add("metrics to " + session.exportsTo() + " every " + options.otel().interval().toSeconds() + " s");
    }
    return AgentSession.version() + " " + String.join("; ", parts)
        + "; report at exit in " + options.out().toAbsolutePath();
  }

  /** From the command line as the kernel has it, and the launcher's environment variable. */
  private static boolean deniesNativeAccess() {
    String deny = "--illegal-native-access=deny";
    String env = System.getenv("JDK_JAVA_OPTIONS");
    try {
      String cmdline = Files.readString(Path.of("/proc/self/cmdline"));
      return List.of(cmdline.split("\0")).contains(deny) || (env != null && env.contains(deny));
    } catch (IOException e) {
      return env != null && env.contains(deny);
    }
  }

  /**
   * Every entry into the agent: a session to start, or a command for the one running (see {@link
   * ControlRequest}), which the {@link Controller} routes.
   *
   * @param problems what the bootstrap found missing for BPF (capabilities, BTF); empty if none
   * @param attached loaded into a running JVM (agentmain) rather than before its main (premain)
   */
  public static void start(
      String options, Instrumentation inst, long startedNanos, List<String> problems, boolean attached) {
    ControlRequest request = ControlRequest.parse(options);
    // A session started again after a dump is started within a running JVM, as one attached is.
    boolean[] first = {true};
    SessionStart.Starter starter = sessionOptions -> {
      boolean again = !first[0];
      first[0] = false;
      return startSession(sessionOptions, again ? System.nanoTime() : startedNanos, problems, attached || again);
    };
    Controller.handle(request, starter, attached, AgentLog.forRawOptions(request.options()));
  }

  /**
   * Loaded as the OpenTelemetry Java agent's extension: as {@link #start}, with that agent's export
   * settings (see {@link ExtensionSettings}) for this session and every later one.
   */
  public static void startExtension(
      String options, Instrumentation inst, long startedNanos, List<String> problems, Map<String, String> otel) {
    ExtensionSettings.set(otel);
    start(options, inst, startedNanos, problems, false);
  }

  /** For the extension's span processor: see {@link SpanHooks#connect()}. */
  public static Map<String, Object> spanHooks() {
    return SpanHooks.connect();
  }

  private static SessionStart startSession(
      String options, long startedNanos, List<String> problems, boolean attached) {
    keepIdle(null, null); // each start replaces the last one that ran nothing
    long rssAtStart = SelfOverhead.residentBytes();
    AgentLog log = AgentLog.forRawOptions(options);
    try {
      SyscallTable syscalls = SyscallTable.forThisMachine();
      List<String> environmentProblems = new ArrayList<>();
      OptionsParser.Result parsed = new OptionsParser(name -> SyscallProbe.canTrace(syscalls, name))
          .parse(options, OtelEnvironment.read(environmentProblems::add));
      if (parsed instanceof OptionsParser.Invalid invalid) {
        return notStarted(log, "off: bad options: " + String.join("; ", invalid.errors()));
      }
      AgentOptions agentOptions = ExtensionSettings.apply(((OptionsParser.Valid) parsed).options());
      log = new AgentLog(agentOptions.log(), agentOptions.debug());
      environmentProblems.forEach(log::info);
      String unavailable = problems.isEmpty() ? NativeAccess.enableForThisModule() : String.join("; ", problems);
      AgentSession session =
          AgentSession.start(agentOptions, log, syscalls, unavailable, startedNanos, rssAtStart, attached);
      String line = startLine(session, agentOptions);
      log.info(line);
      return session.probes().anyRunning()
          ? new SessionStart.Started(session, line)
          : notStartedAfter(session, log, line);
    } catch (RuntimeException | LinkageError e) {
      return notStarted(log, "off: could not start (" + e + "); the application runs on without it");
    }
  }

  private static SessionStart notStarted(AgentLog log, String line) {
    log.info(line);
    return new SessionStart.NotStarted(line);
  }

  /**
   * No probe runs (BPF unavailable, or every feature off): the session still writes its report,
   * which says why each feature is off, at exit as before; it takes no command. At most one such
   * session is kept: the tool's retries of {@code attach} would otherwise each add one, and a
   * shutdown hook, all writing the same folder at exit.
   */
  private static SessionStart notStartedAfter(AgentSession session, AgentLog log, String line) {
    keepIdle(session, log);
    return new SessionStart.NotStarted(line);
  }

  /** Discards the idle session kept, if any, and keeps {@code session} (null: none) instead. */
  private static synchronized void keepIdle(AgentSession session, AgentLog log) {
    if (idle != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(idleHook);
        idle.discard();
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook writes the old session's report
      }
    }
    idle = session;
    idleHook = null;
    if (session != null) {
      idleHook = AgentThreads.unstarted("report", session::stop, log);
      Runtime.getRuntime().addShutdownHook(idleHook);
    }
  }

  /** The idle sessions kept with a hook: at most one (for tests). */
  static synchronized int idleSessions() {
    return idle == null ? 0 : 1;
  }
}
