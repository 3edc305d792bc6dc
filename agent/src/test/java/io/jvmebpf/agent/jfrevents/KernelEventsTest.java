package io.jvmebpf.agent.jfrevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.jfr.JfrEvents;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In this JVM's own JFR, as in the agent's session: the agent's stream keeps the event types off
 * while it is the one recording, a recording of the application's (default.jfc, which does not
 * name them) turns them on and its settings are obeyed, and once closed the types are gone.
 */
class KernelEventsTest {
  private static final BooleanSupplier OFF_CPU = () -> new OffCpuEvent().isEnabled();

  private JfrEvents stream;
  private KernelEvents events;

  @BeforeEach
  void startAsTheSessionDoes() throws InterruptedException {
    stream = JfrEvents.start(new JfrEvents.Subscriptions(
        t -> {}, null, null, s -> {}, null, b -> {}, null, s -> {}, null, KernelEvents.NAMES));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!stream.started() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(stream.started() && stream.failure() == null, "JFR stream: " + stream.failure());
    events = KernelEvents.start(null, null, new ThreadRegistry(), new AgentLog("none", false));
    assertNotNull(events);
  }

  /** Attached to a JVM that already records: the stream, from its start, leaves the events on. */
  @Test
  void onWhenTheApplicationRecordedBeforeTheAgentStarted() throws Exception {
    close();
    try (Recording application = new Recording(Configuration.getConfiguration("default"))) {
      application.start();
      startAsTheSessionDoes();
      assertTrue(soon(OFF_CPU, true));
      application.stop();
    }
    assertTrue(soon(OFF_CPU, false), "the stream alone once the application's stopped");
  }

  @AfterEach
  void close() {
    if (events != null) {
      events.close();
    }
    stream.close();
  }

  @Test
  void offWhileTheAgentsStreamIsTheOnlyRecordingOnWhileAnotherRuns() throws Exception {
    assertEquals(List.of(), missing(), "registered while the session runs");
    assertFalse(new OffCpuEvent().isEnabled(), "the agent's stream alone");
    try (Recording application = new Recording(Configuration.getConfiguration("default"))) {
      application.start();
      assertTrue(soon(OFF_CPU, true), "default.jfc does not name it: its default holds");
      assertTrue(new ConnectionEvent().isEnabled());
      assertTrue(new ChildProcessEvent().isEnabled());
      application.stop();
    }
    assertTrue(soon(OFF_CPU, false), "the stream alone again");
  }

  @Test
  void aRecordingThatTurnsOneOffIsObeyed() {
    try (Recording application = new Recording(Map.of("jvmebpf.OffCpu#enabled", "false"))) {
      application.start();
      assertFalse(new OffCpuEvent().isEnabled());
      assertTrue(soon(() -> new ConnectionEvent().isEnabled(), true), "an event it does not name takes its default");
      application.stop();
    }
  }

  @Test
  void goneOnceClosedWhateverRecordingRuns() {
    events.close();
    events = null;
    assertEquals(KernelEvents.NAMES, missing());
    try (Recording application = new Recording(Configuration.getConfiguration("default"))) {
      application.start();
      assertFalse(new OffCpuEvent().isEnabled());
      application.stop();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Whether an event is on or off as expected within a second: the stream applies a
   * change of state on the thread that made it, or on one applying an earlier change meanwhile.
   */
  private static boolean soon(BooleanSupplier isEnabled, boolean expected) {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (isEnabled.getAsBoolean() != expected && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return isEnabled.getAsBoolean() == expected;
  }

  /** The agent's types JFR does not list as registered now. */
  private static List<String> missing() {
    List<String> registered = FlightRecorder.getFlightRecorder().getEventTypes().stream()
        .map(EventType::getName).toList();
    return KernelEvents.NAMES.stream().filter(name -> !registered.contains(name)).toList();
  }
}
