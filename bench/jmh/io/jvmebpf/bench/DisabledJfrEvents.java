package io.jvmebpf.bench;

import io.jvmebpf.agent.jfrevents.KernelEvents;
import io.jvmebpf.agent.jfrevents.OffCpuEvent;
import io.jvmebpf.jfr.JfrEvents;
import java.util.concurrent.TimeUnit;
import jdk.jfr.FlightRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a probe pays for the agent's JFR event path when no recording wants the event: the
 * {@code new OffCpuEvent().shouldCommit()} every probe runs before any other work, with the type
 * not registered ({@code jfr.events=off}, or no session), and registered while the agent's own
 * stream is the only recording and keeps it quiet (the agent running, no recording of the
 * application's). {@code baseline} is an empty benchmark, JMH's own floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class DisabledJfrEvents {
  @Param({"unregistered", "quiet"})
  public String state;

  private JfrEvents stream;

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    if (state.equals("quiet")) {
      // As AgentSession does: the agent's stream keeps the names quiet, then the types are registered.
      stream = JfrEvents.start(new JfrEvents.Subscriptions(t -> {}, null, null, s -> {}, null, b -> {}, null,
          s -> {}, KernelEvents.NAMES));
      while (!stream.started()) {
        Thread.sleep(50);
      }
      FlightRecorder.register(OffCpuEvent.class);
      if (new OffCpuEvent().isEnabled()) {
        throw new IllegalStateException("the event is on with only the agent's stream running");
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (stream != null) {
      stream.close();
    }
  }

  @Benchmark
  public void baseline() {}

  @Benchmark
  public boolean offCpuEventCheck() {
    return new OffCpuEvent().shouldCommit();
  }
}
