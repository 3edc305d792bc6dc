package io.jvmebpf.jfr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Keeps events off in the agent's own stream while no other recording runs, and leaves them to
 * the other recordings' settings while one does.
 *
 * <p>JFR merges the settings of every running recording: an event that no recording mentions
 * takes its annotated default (on), one that some recording turns on is on. The agent's stream
 * runs for the whole session, so without a word from it the events would be on, and cost, with
 * no recording of the application's to receive them; with a standing {@code enabled=false} they
 * would stay off in the application's {@code -XX:StartFlightRecording} too, whose settings
 * (default.jfc) do not name them. So the stream says {@code enabled=false} only while it is the
 * one recording running, and nothing while another runs, checked at every recording's change of
 * state.
 */
final class QuietEvents implements FlightRecorderListener {
  private static final AtomicLong STREAMS = new AtomicLong();

  private final List<String> names;
  /** A setting no one else writes: how this stream's recording is told from the others. */
  private final String marker = "jvmebpf.internal.AgentStream" + STREAMS.incrementAndGet() + "#enabled";
  private Boolean othersRan; // guarded by this; null until first applied

  QuietEvents(List<String> names) {
    this.names = List.copyOf(names);
  }

  /** The settings a new stream starts with: the events off, and the marker. */
  Map<String, String> initialSettings() {
    Map<String, String> settings = new HashMap<>();
    names.forEach(name -> settings.put(name + "#enabled", "false"));
    settings.put(marker, "false");
    return settings;
  }

  /**
   * Runs on whatever thread changed a recording's state, the stream's own start included, so the
   * stream is set right from its first moment; it calls nothing of the agent's.
   */
  @Override
  public synchronized void recordingStateChanged(Recording changed) {
    Recording own = null;
    boolean others = false;
    for (Recording recording : FlightRecorder.getFlightRecorder().getRecordings()) {
      if (recording.getSettings().containsKey(marker)) {
        own = recording;
      } else {
        others |= recording.getState() == RecordingState.RUNNING;
      }
    }
    if (own == null || Boolean.valueOf(others).equals(othersRan)) {
      return;
    }
    Map<String, String> settings = new HashMap<>(own.getSettings());
    for (String name : names) {
      if (others) {
        settings.remove(name + "#enabled");
      } else {
        settings.put(name + "#enabled", "false");
      }
    }
    try {
      own.setSettings(settings);
      othersRan = others;
    } catch (IllegalStateException closed) {
      // the stream is closing: nothing left to keep quiet
    }
  }
}
