package io.jvmebpf.workloads;

import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;

/** For workloads whose answers the agent joins with the JVM's own events: its recording must run first. */
final class AgentJfr {
  private AgentJfr() {}

  /**
   * Until a recording runs (the agent starts its stream in the background), at most 10 s, and a
   * moment more; then a second without one. Not just until JFR is initialized: registering the
   * agent's own event types initializes it well before its stream records.
   */
  static void await() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!recording() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(recording() ? 500 : 1_000);
  }

  private static boolean recording() {
    // Asked only once JFR is up: the question would otherwise start it here.
    return FlightRecorder.isInitialized() && FlightRecorder.getFlightRecorder().getRecordings().stream()
        .anyMatch(recording -> recording.getState() == RecordingState.RUNNING);
  }
}
