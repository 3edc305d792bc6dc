package io.jvmebpf.agent.otel.metrics;

import io.jvmebpf.agent.config.OtelOptions.ThreadNaming;
import io.jvmebpf.agent.probe.Probes;
import io.jvmebpf.agent.probe.cpu.CpuProbe;
import io.jvmebpf.agent.probe.memory.MemoryProbe;
import io.jvmebpf.agent.probe.net.NetworkProbe;
import io.jvmebpf.agent.probe.offcpu.OffCpuProbe;
import io.jvmebpf.agent.probe.syscalls.SyscallProbe;
import io.jvmebpf.agent.threads.ThreadIdentity;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.HashMap;
import java.util.Map;

/**
 * The probes' per-thread figures as metrics, read from their BPF maps with lookups only at each
 * collection (every {@code otlp.interval}, on the export's thread): cumulative counters, one
 * series per (bounded) thread name, see {@link ThreadNames}. A probe that is off registers
 * nothing. Names: the semantic conventions' where one fits ({@code process.network.io}), else under
 * {@code jvm_ebpf.*}; the README lists them all.
 */
public final class KernelMetrics {
  static final AttributeKey<String> THREAD = AttributeKey.stringKey("thread.name");
  static final AttributeKey<String> SYSCALL = AttributeKey.stringKey("jvm_ebpf.syscall");
  static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("network.io.direction");
  private static final double NS_PER_S = 1e9;
  /**
   * How long a thread the JVM has not named yet is left out: JFR announces a new Java thread about
   * a second after it starts, and until then only the kernel's name, cut to 15 characters, is
   * known. Exported under it, the thread would have two series, the first one ending.
   */
  private static final long UNNAMED_GRACE_NS = 3_000_000_000L;
  /** A thread left out of this collection, counted in a later one: an instance, compared by identity. */
  private static final String LATER = new String("later");

  private final ThreadRegistry registry;
  private final ThreadNames names;
  private final Map<Integer, Long> unnamedSince = new HashMap<>(); // guarded by this
  private volatile boolean lastRound;

  private KernelMetrics(ThreadRegistry registry, ThreadNaming naming) {
    this.registry = registry;
    this.names = new ThreadNames(naming);
  }

  /**
   * Registers the process's metrics and those of every running probe on {@code meter}; the
   * returned value is told of the last collection ({@link #lastRound()}).
   */
  public static KernelMetrics register(Meter meter, Probes probes, ThreadRegistry registry, ThreadNaming naming) {
    ProcessMetrics.register(meter);
    KernelMetrics metrics = new KernelMetrics(registry, naming);
    SyscallProbe syscalls = probes.running(SyscallProbe.class);
    if (syscalls != null) {
      metrics.syscalls(meter, syscalls);
    }
    OffCpuProbe offCpu = probes.running(OffCpuProbe.class);
    CpuProbe cpu = probes.running(CpuProbe.class);
    if (offCpu != null) {
      metrics.scheduler(meter, offCpu);
    } else if (cpu != null) {
      metrics.cpuSamples(meter, cpu);
    }
    NetworkProbe net = probes.running(NetworkProbe.class);
    if (net != null) {
      metrics.network(meter, net);
    }
    MemoryProbe memory = probes.running(MemoryProbe.class);
    if (memory != null) {
      metrics.nativeMemory(meter, memory);
    }
    return metrics;
  }

  /** The next collection is the last: threads the JVM has not named go under their kernel names. */
  public void lastRound() {
    lastRound = true;
  }

  private void syscalls(Meter meter, SyscallProbe probe) {
    ObservableLongMeasurement count = meter.counterBuilder("jvm_ebpf.syscall.count").setUnit("{call}")
        .setDescription("System calls made, by thread and syscall.").buildObserver();
    ObservableLongMeasurement errors = meter.counterBuilder("jvm_ebpf.syscall.errors").setUnit("{call}")
        .setDescription("System calls that returned an error, by thread and syscall.").buildObserver();
    ObservableDoubleMeasurement time = meter.counterBuilder("jvm_ebpf.syscall.time").ofDoubles().setUnit("s")
        .setDescription("Time spent in system calls, from entry to exit, by thread and syscall.").buildObserver();
    meter.batchCallback(() -> {
      Map<Attributes, long[]> sums = new HashMap<>();
      probe.perThread().forEach((tid, calls) -> {
        String thread = thread(tid);
        if (thread == LATER) {
          return;
        }
        for (var call : calls) {
          long[] sum = sums.computeIfAbsent(attributes(thread, SYSCALL, call.name()), a -> new long[3]);
          sum[0] += call.count();
          sum[1] += call.errors();
          sum[2] += call.totalNs();
        }
      });
      sums.forEach((attributes, sum) -> {
        count.record(sum[0], attributes);
        errors.record(sum[1], attributes);
        time.record(sum[2] / NS_PER_S, attributes);
      });
    }, count, errors, time);
  }

  private void scheduler(Meter meter, OffCpuProbe probe) {
    ObservableDoubleMeasurement onCpu = meter.counterBuilder("jvm_ebpf.cpu.time").ofDoubles().setUnit("s")
        .setDescription("Time on a CPU, by thread, from the scheduler's switches.").buildObserver();
    ObservableDoubleMeasurement runQueue = meter.counterBuilder("jvm_ebpf.cpu.run_queue.time").ofDoubles()
        .setUnit("s").setDescription("Time runnable but waiting for a CPU, by thread.").buildObserver();
    ObservableDoubleMeasurement offCpu = meter.counterBuilder("jvm_ebpf.off_cpu.time").ofDoubles().setUnit("s")
        .setDescription("Time off CPU (blocked, sleeping, waiting), by thread.").buildObserver();
    ObservableDoubleMeasurement blocked = meter.counterBuilder("jvm_ebpf.off_cpu.syscall.time").ofDoubles()
        .setUnit("s").setDescription("Off-CPU time of the process's ended blocks, by the syscall blocked in"
            + " (none: a page fault, a preemption).").buildObserver();
    meter.batchCallback(() -> {
      Map<Attributes, double[]> sums = new HashMap<>();
      probe.perThread().forEach((tid, time) -> {
        String thread = thread(tid);
        if (thread == LATER) {
          return;
        }
        double[] sum = sums.computeIfAbsent(threadOnly(thread), a -> new double[3]);
        sum[0] += time.onCpuNs() / NS_PER_S;
        sum[1] += time.runQueueNs() / NS_PER_S;
        sum[2] += time.offCpuNs() / NS_PER_S;
      });
      sums.forEach((attributes, sum) -> {
        onCpu.record(sum[0], attributes);
        runQueue.record(sum[1], attributes);
        offCpu.record(sum[2], attributes);
      });
      probe.blockedBySyscall().forEach((syscall, ns) -> blocked.record(ns / NS_PER_S, Attributes.of(SYSCALL, syscall)));
    }, onCpu, runQueue, offCpu, blocked);
  }

  /** Without the scheduler's exact times ({@code offcpu=off}): the CPU profile's samples. */
  private void cpuSamples(Meter meter, CpuProbe probe) {
    ObservableLongMeasurement samples = meter.counterBuilder("jvm_ebpf.cpu.samples").setUnit("{sample}")
        .setDescription("CPU profile samples, by thread: each stands for " + probe.sampleWeightNs()
            + " ns on a CPU (without offcpu, which measures jvm_ebpf.cpu.time exactly).").buildObserver();
    meter.batchCallback(() -> {
      Map<Attributes, long[]> sums = new HashMap<>();
      probe.samplesPerThread().forEach((tid, count) -> {
        String thread = thread(tid);
        if (thread != LATER) {
          sums.computeIfAbsent(threadOnly(thread), a -> new long[1])[0] += count;
        }
      });
      sums.forEach((attributes, sum) -> samples.record(sum[0], attributes));
    }, samples);
  }

  private void network(Meter meter, NetworkProbe probe) {
    ObservableLongMeasurement process = meter.counterBuilder("process.network.io").setUnit("By")
        .setDescription("Network bytes transferred (TCP and UDP payload).").buildObserver();
    ObservableLongMeasurement perThread = meter.counterBuilder("jvm_ebpf.network.io").setUnit("By")
        .setDescription("Network bytes transferred (TCP and UDP payload), by thread.").buildObserver();
    Attributes transmit = Attributes.of(DIRECTION, "transmit");
    Attributes receive = Attributes.of(DIRECTION, "receive");
    meter.batchCallback(() -> {
      long[] total = new long[2];
      Map<String, long[]> sums = new HashMap<>();
      probe.perThread().forEach((tid, net) -> {
        total[0] += net.bytesSent();
        total[1] += net.bytesReceived();
        String thread = thread(tid);
        if (thread != LATER) {
          long[] sum = sums.computeIfAbsent(thread, t -> new long[2]);
          sum[0] += net.bytesSent();
          sum[1] += net.bytesReceived();
        }
      });
      process.record(total[0], transmit);
      process.record(total[1], receive);
      if (names.perThread()) {
        sums.forEach((thread, sum) -> {
          perThread.record(sum[0], Attributes.of(THREAD, thread, DIRECTION, "transmit"));
          perThread.record(sum[1], Attributes.of(THREAD, thread, DIRECTION, "receive"));
        });
      }
    }, process, perThread);
  }

  /** Allocator calls with {@code nativemem=on}, page faults with {@code faults=on}: zeros otherwise. */
  private void nativeMemory(Meter meter, MemoryProbe probe) {
    boolean allocator = probe.options().nativeOn();
    boolean pageFaults = probe.options().faults();
    if (!allocator && !pageFaults) {
      return;
    }
    ObservableLongMeasurement bytes = meter.counterBuilder("jvm_ebpf.native_memory.allocated").setUnit("By")
        .setDescription("Bytes asked of the C allocator (malloc, calloc, realloc...), by thread.").buildObserver();
    ObservableLongMeasurement calls = meter.counterBuilder("jvm_ebpf.native_memory.allocations").setUnit("{call}")
        .setDescription("Calls to the C allocator, by thread.").buildObserver();
    ObservableLongMeasurement frees = meter.counterBuilder("jvm_ebpf.native_memory.frees").setUnit("{call}")
        .setDescription("Calls to free, by thread.").buildObserver();
    ObservableLongMeasurement mapped = meter.counterBuilder("jvm_ebpf.native_memory.mapped").setUnit("By")
        .setDescription("Bytes asked of mmap, by thread.").buildObserver();
    ObservableLongMeasurement faults = meter.counterBuilder("jvm_ebpf.paging.faults").setUnit("{fault}")
        .setDescription("User-mode page faults traced, by thread.").buildObserver();
    ObservableLongMeasurement outstanding = meter.upDownCounterBuilder("jvm_ebpf.native_memory.outstanding")
        .setUnit("By").setDescription("Bytes allocated and not freed yet, by the thread that allocated them"
            + " (sampled blocks weighed by the bytes they stand for; exact with nativemem.sample=0).").buildObserver();
    meter.batchCallback(() -> {
      Map<Attributes, long[]> sums = new HashMap<>();
      probe.perThread().forEach((tid, c) -> {
        String thread = thread(tid);
        if (thread == LATER) {
          return;
        }
        long[] sum = sums.computeIfAbsent(threadOnly(thread), a -> new long[5]);
        sum[0] += c.mallocBytes();
        sum[1] += c.mallocCalls();
        sum[2] += c.freeCalls();
        sum[3] += c.mmapBytes();
        sum[4] += c.faults();
      });
      sums.forEach((attributes, sum) -> {
        if (allocator) {
          bytes.record(sum[0], attributes);
          calls.record(sum[1], attributes);
          frees.record(sum[2], attributes);
          mapped.record(sum[3], attributes);
        }
        if (pageFaults) {
          faults.record(sum[4], attributes);
        }
      });
      if (allocator) {
        Map<Attributes, long[]> held = new HashMap<>();
        probe.outstandingPerThread().forEach((tid, heldBytes) -> {
          String thread = thread(tid);
          if (thread != LATER) {
            held.computeIfAbsent(threadOnly(thread), a -> new long[1])[0] += heldBytes;
          }
        });
        held.forEach((attributes, sum) -> outstanding.record(sum[0], attributes));
      }
    }, bytes, calls, frees, mapped, faults, outstanding);
  }

  /**
   * The thread's attribute value; null when metrics carry none ({@code otlp.threads=off}); {@link
   * #LATER} for a thread the JVM may not have named yet (see {@link #UNNAMED_GRACE_NS}).
   */
  private synchronized String thread(int tid) {
    if (!names.perThread()) {
      return null;
    }
    ThreadIdentity identity = registry.identify(tid);
    if (identity.source() != ThreadIdentity.Source.JVM && !lastRound) {
      long now = System.nanoTime();
      if (unnamedSince.size() > 65_536) {
        unnamedSince.clear(); // tids of threads long gone: they come back once each at worst
      }
      long since = unnamedSince.computeIfAbsent(tid, t -> now);
      if (now - since < UNNAMED_GRACE_NS) {
        return LATER;
      }
    }
    return names.of(identity.name());
  }


  private static Attributes threadOnly(String thread) {
    return thread == null ? Attributes.empty() : Attributes.of(THREAD, thread);
  }

  private static Attributes attributes(String thread, AttributeKey<String> key, String value) {
    return thread == null ? Attributes.of(key, value) : Attributes.of(THREAD, thread, key, value);
  }
}
