package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Opens a sampling perf event ({@code perf_event_open(2)}) for {@link BpfProgram#attachPerfEvent},
 * which takes over its file descriptor. The hardware PMU is often absent in VMs: the caller
 * decides which event to try first and what to fall back to.
 */
public final class PerfEvent {
  public static final int PERF_TYPE_HARDWARE = 0;
  public static final int PERF_TYPE_SOFTWARE = 1;
  public static final int PERF_COUNT_HW_CPU_CYCLES = 0;
  public static final int PERF_COUNT_SW_CPU_CLOCK = 0;
  public static final int PERF_COUNT_SW_TASK_CLOCK = 1;

  private static final int ATTR_SIZE = 112; // PERF_ATTR_SIZE_VER5
  private static final long FLAG_DISABLED = 1L; // libbpf enables the event once the program is set
  private static final long FLAG_FREQ = 1L << 10;
  private static final long PERF_FLAG_FD_CLOEXEC = 8;

  private static final MethodHandle SYSCALL =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
              FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
              Linker.Option.firstVariadicArg(1),
              Linker.Option.captureCallState("errno"));

  private PerfEvent() {}

  /** How often a sampling event fires: every {@code period} events, or {@code frequency} per second. */
  public record Sampling(long value, boolean frequency) {
    public static Sampling period(long events) {
      return new Sampling(events, false);
    }

    public static Sampling frequency(long hz) {
      return new Sampling(hz, true);
    }
  }

  /** Opens a sampling software event, disabled until a program is attached. */
  public static int openSoftware(int config, int pid, int cpu, long frequencyHz) {
    return open(PERF_TYPE_SOFTWARE, config, pid, cpu, Sampling.frequency(frequencyHz));
  }

  /**
   * Opens a sampling event, disabled until a program is attached.
   *
   * @param pid a thread or process id, or -1 for every process on {@code cpu}
   * @param cpu a CPU, or -1 for any CPU {@code pid} runs on
   * @return the perf event's file descriptor
   */
  public static int open(int type, long config, int pid, int cpu, Sampling sampling) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
      attr.set(JAVA_INT, 0, type);
      attr.set(JAVA_INT, 4, ATTR_SIZE);
      attr.set(JAVA_LONG, 8, config);
      attr.set(JAVA_LONG, 16, sampling.value()); // sample_period or sample_freq, as FLAG_FREQ says
      attr.set(JAVA_LONG, 40, FLAG_DISABLED | (sampling.frequency() ? FLAG_FREQ : 0));
      MemorySegment state = Libbpf.callState(arena);
      long fd = (long) SYSCALL.invokeExact(state, syscallNumber(), attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
      if (fd < 0) {
        throw Errors.failure(
            Libbpf.errno(state), "opening perf event type " + type + " config " + config + " on CPU " + cpu);
      }
      return (int) fd;
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  private static long syscallNumber() {
    return switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> 298;
      case "aarch64" -> 241;
      default -> throw new BpfException(0, "perf_event_open: unknown syscall number on " + System.getProperty("os.arch"));
    };
  }
}
