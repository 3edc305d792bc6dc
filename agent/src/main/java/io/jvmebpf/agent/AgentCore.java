package io.jvmebpf.agent;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.config.OptionsParser;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.overhead.SelfOverhead;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The core's entry point, called by the bootstrap once the core's module layer is defined. Parses
 * the options, starts a session and arranges the report at JVM exit. Never throws into the host.
 */
public final class AgentCore {
  private AgentCore() {}

  /**
   * @param problems what the bootstrap found missing for BPF (capabilities, BTF); empty if none
   */
  public static void start(
      String options, Instrumentation inst, long startedNanos, List<String> problems) {
    long rssAtStart = SelfOverhead.residentBytes();
    AgentLog log = AgentLog.stderr();
    try {
      SyscallTable syscalls = SyscallTable.forThisMachine();
      OptionsParser.Result parsed =
          new OptionsParser(name -> syscalls.number(name).isPresent()).parse(options);
      if (parsed instanceof OptionsParser.Invalid invalid) {
        log.info("off: bad options: " + String.join("; ", invalid.errors())
            + " (see the README's option list)");
        return;
      }
      AgentOptions agentOptions = ((OptionsParser.Valid) parsed).options();
      log = new AgentLog(agentOptions.log(), agentOptions.debug());
      String unavailable = problems.isEmpty() ? NativeAccess.enableForThisModule() : String.join("; ", problems);
      AgentSession session =
          AgentSession.start(agentOptions, log, syscalls, unavailable, startedNanos, rssAtStart);
      Runtime.getRuntime()
          .addShutdownHook(Thread.ofPlatform().name("jvm-ebpf-report").unstarted(session::stop));
      log.info(
          AgentSession.version() + " started in " + session.startupMs() + " ms: "
              + session.probes().featureLines().entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .collect(Collectors.joining(", "))
              + "; report at exit in " + agentOptions.out().toAbsolutePath());
    } catch (RuntimeException | LinkageError e) {
      log.info("off: could not start (" + e + "); the application runs on without it");
    }
  }
}
