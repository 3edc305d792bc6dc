package io.jvmebpf.workloads;

import jdk.jfr.FlightRecorder;

/** For workloads whose answers the agent joins with the JVM's own events: its recording must run first. */
final class AgentJfr {
  private AgentJfr() {}

  /**
   * Until the JVM's flight recorder runs (the agent starts it in the background), at most 10 s,
   * and a moment more for the agent's stream to start; then a second without one.
   */
  static void await() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!FlightRecorder.isInitialized() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(FlightRecorder.isInitialized() ? 500 : 1_000);
  }
}
