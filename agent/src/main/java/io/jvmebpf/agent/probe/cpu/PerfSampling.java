package io.jvmebpf.agent.probe.cpu;

import io.jvmebpf.agent.Closeables;
import io.jvmebpf.agent.config.CpuOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.bpf.BpfException;
import io.jvmebpf.bpf.BpfLink;
import io.jvmebpf.bpf.BpfProgram;
import io.jvmebpf.bpf.PerfEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * One sampling perf event per online CPU, each running the profile program. {@link #rescan()}
 * follows CPU hotplug: a CPU gone offline loses its event (the kernel stops it), one that comes
 * online, again or for the first time, gets a new one. Events are system-wide per CPU: a perf event
 * per thread would miss threads started later, and the program filters on the JVM's tgid first.
 */
final class PerfSampling implements AutoCloseable {
  private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");

  private final BpfProgram program;
  private final CpuOptions options;
  private final AgentLog log;
  private final Map<Integer, BpfLink> links = new HashMap<>();
  private int eventType = PerfEvent.PERF_TYPE_SOFTWARE;
  private long eventConfig = PerfEvent.PERF_COUNT_SW_CPU_CLOCK;
  private String event = "cpu";
  private final BitSet failed = new BitSet();
  private int cpusSampled; // the most at once, kept past close for the report
  private int offlined;
  private boolean closed;
  private boolean paused;
  private String fallback; // why the event asked for is not the one sampled, or null // by the report's thread while the poller may rescan: all synchronized

  PerfSampling(BpfProgram program, CpuOptions options, AgentLog log) {
    this.program = program;
    this.options = options;
    this.log = log;
  }

  /** Attaches to every online CPU; fails only when not one CPU could be sampled. */
  synchronized void start() {
    if (options.event() == CpuOptions.Event.CYCLES) {
      eventType = PerfEvent.PERF_TYPE_HARDWARE;
      eventConfig = PerfEvent.PERF_COUNT_HW_CPU_CYCLES;
      event = "cycles";
    }
    BitSet online = onlineCpus();
    RuntimeException first = null;
    for (int cpu = online.nextSetBit(0); cpu >= 0; cpu = online.nextSetBit(cpu + 1)) {
      RuntimeException failure = attach(cpu);
      if (failure != null && links.isEmpty() && eventType == PerfEvent.PERF_TYPE_HARDWARE) {
        fallback = "event=cycles: " + whyNoCycles(failure) + ", so the software cpu-clock is sampled";
        eventType = PerfEvent.PERF_TYPE_SOFTWARE;
        eventConfig = PerfEvent.PERF_COUNT_SW_CPU_CLOCK;
        event = "cpu";
        failure = attach(cpu);
      }
      if (failure != null && first == null) {
        first = failure;
      }
    }
    if (links.isEmpty()) {
      throw first != null ? first : new BpfException(0, "no online CPU listed in " + ONLINE);
    }
  }

  /** Follows CPUs that went offline or came online since; cheap enough to call every second. */
  synchronized void rescan() {
    if (closed || paused) {
      return;
    }
    BitSet online = onlineCpus();
    links.entrySet().removeIf(entry -> {
      if (online.get(entry.getKey())) {
        return false;
      }
      Closeables.closeQuietly(entry.getValue());
      offlined++;
      return true;
    });
    for (int cpu = online.nextSetBit(0); cpu >= 0; cpu = online.nextSetBit(cpu + 1)) {
      if (!links.containsKey(cpu)) {
        attach(cpu);
      }
    }
  }

  /** ENOENT, EOPNOTSUPP and ENODEV are how perf_event_open says there is no such counter. */
  private static String whyNoCycles(RuntimeException failure) {
    int errno = failure instanceof BpfException b ? b.errno() : 0;
    return errno == 2 || errno == 95 || errno == 19
        ? "this machine has no hardware cycles counter"
        : "the cycles counter cannot be opened (" + failure.getMessage() + ")";
  }

  private RuntimeException attach(int cpu) {
    try {
      PerfEvent.Sampling sampling = options.rateHz() > 0 || eventType == PerfEvent.PERF_TYPE_HARDWARE
          ? PerfEvent.Sampling.frequency(1_000_000_000L / options.sampleWeightNs())
          : PerfEvent.Sampling.period(options.intervalNs()); // cpu-clock counts nanoseconds
      int fd = PerfEvent.open(eventType, eventConfig, -1, cpu, sampling);
      links.put(cpu, program.attachPerfEvent(fd));
      cpusSampled = Math.max(cpusSampled, links.size());
      failed.clear(cpu);
      return null;
    } catch (RuntimeException e) {
      failed.set(cpu);
      log.debug("cpu: CPU " + cpu + " not sampled: " + e.getMessage());
      return e;
    }
  }

  /** Why the event asked for is not the one sampled, or null. */
  synchronized String fallback() {
    return fallback;
  }

  /** {@code cpu} or {@code cycles}: what the events actually count. */
  synchronized String event() {
    return event;
  }

  synchronized int cpusSampled() {
    return cpusSampled;
  }

  /** Online CPUs whose event would not open, at the last try (retried each rescan). */
  synchronized int openFailures() {
    return failed.cardinality();
  }

  /** CPUs with an event now. */
  synchronized int attached() {
    return links.size();
  }

  /** Events closed because their CPU went offline. */
  synchronized int offlined() {
    return offlined;
  }

  static BitSet onlineCpus() {
    BitSet cpus = new BitSet();
    try {
      for (String range : Files.readString(ONLINE).strip().split(",")) {
        String[] ends = range.split("-");
        int from = Integer.parseInt(ends[0]);
        int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
        cpus.set(from, to + 1);
      }
    } catch (IOException | RuntimeException e) {
      cpus.set(0, Runtime.getRuntime().availableProcessors());
    }
    return cpus;
  }

  /** Closes every CPU's event until {@link #resume()}; rescans leave them closed meanwhile. */
  synchronized void pause() {
    paused = true;
    links.values().forEach(Closeables::closeQuietly);
    links.clear();
  }

  /**
   * Opens an event on every online CPU again, as a rescan does; fails, still paused, when not one
   * CPU could be sampled (CPUs that fail alone are retried each rescan, as at the start).
   */
  synchronized void resume() {
    paused = false;
    rescan();
    if (links.isEmpty()) {
      paused = true;
      throw new BpfException(0, "no CPU could be sampled again (" + failed.cardinality()
          + " perf events would not open; the JVM's log at loglevel=debug says why)");
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    links.values().forEach(Closeables::closeQuietly);
    links.clear();
  }
}
