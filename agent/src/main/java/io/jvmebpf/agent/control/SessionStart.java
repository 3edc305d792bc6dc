package io.jvmebpf.agent.control;

import io.jvmebpf.agent.AgentSession;

/** How a request to start a session ended: started, or not, with the line that says why. */
public sealed interface SessionStart {
  /** The one line the agent logged at start: what is on, what is off and why. */
  String line();

  record Started(AgentSession session, String line) implements SessionStart {}

  record NotStarted(String line) implements SessionStart {}

  /** Starts a session from an options string, as {@code premain} or {@code agentmain} would. */
  @FunctionalInterface
  interface Starter {
    SessionStart start(String options);
  }
}
