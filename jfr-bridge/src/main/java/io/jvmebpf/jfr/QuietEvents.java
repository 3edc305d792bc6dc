package io.jvmebpf.jfr;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
  /** Events the stream no longer wants at all, whatever else runs. */
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();
  /** A setting no one else writes: how this stream's recording is told from the others. */
  private final String marker = "jvmebpf.internal.AgentStream" + STREAMS.incrementAndGet() + "#enabled";
  /** Changes not yet applied; the thread that takes it from 0 applies them. */
  private final AtomicInteger pending = new AtomicInteger();

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
   * Turns {@code events} off in the running stream for good: applied here, with the quiet events,
   * since only one writer of the stream's settings can be sure to keep every change.
   */
  void disable(Collection<String> events) {
    disabled.addAll(events);
    changed();
  }

  @Override
  public void recordingStateChanged(Recording changed) {
    changed();
  }

  /**
   * Runs on whatever thread changed a recording's state, the stream's own start included, so the
   * stream is set right from its first moment. JFR calls listeners with its own lock held on some
   * paths and not on others, and the settings change takes that lock: so no thread waits here for
   * another. The first to come applies, again as long as more changes came meanwhile; the others
   * return at once.
   */
  private void changed() {
    if (pending.getAndIncrement() != 0) {
      return; // the thread applying sees this change in its next pass
    }
    int seen = 1;
    do {
      try {
        apply();
      } catch (RuntimeException e) {
        // the stream closing (its recording no longer takes settings): nothing left to keep
        // quiet; and JFR would print anything thrown from here on the application's output
      }
      seen = pending.addAndGet(-seen);
    } while (seen != 0);
  }

  /** One pass, by one thread at a time (see above). */
  private void apply() {
    Recording own = null;
    boolean others = false;
    for (Recording recording : FlightRecorder.getFlightRecorder().getRecordings()) {
      if (recording.getSettings().containsKey(marker)) {
        own = recording;
      } else {
        others |= recording.getState() == RecordingState.RUNNING;
      }
    }
    if (own == null) {
      return;
    }
    Map<String, String> current = own.getSettings();
    Map<String, String> settings = new HashMap<>(current);
    disabled.forEach(name -> settings.put(name + "#enabled", "false"));
    for (String name : names) {
      if (others) {
        settings.remove(name + "#enabled");
      } else {
        settings.put(name + "#enabled", "false");
      }
    }
    if (!settings.equals(current)) {
      own.setSettings(settings);
    }
  }
}
