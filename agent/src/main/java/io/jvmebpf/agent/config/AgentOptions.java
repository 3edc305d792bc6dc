package io.jvmebpf.agent.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * The agent's settings, from {@code -javaagent:jvm-ebpf-agent.jar=key=value,...}; see
 * {@link OptionsParser} for the syntax and the README for each option.
 *
 * @param out the report folder
 * @param syscalls whether the syscalls probe runs
 * @param syscallFilter the syscall names to trace; empty means all
 * @param log where log lines go: {@code stderr}, {@code none} or a file path
 * @param debug whether debug lines (libbpf's among them) are logged
 */
public record AgentOptions(
    Path out, boolean syscalls, Set<String> syscallFilter, String log, boolean debug) {

  public static AgentOptions defaults() {
    return new AgentOptions(Path.of("jvm-ebpf-report"), true, Set.of(), "stderr", false);
  }
}
