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
 * Opens a perf event ({@code perf_event_open(2)}) for {@link BpfProgram#attachPerfEvent}, which
 * takes over its file descriptor. Software events only here: the hardware PMU is often absent in
 * VMs, and the caller decides which to try first.
 */
public final class PerfEvent {
  public static final int PERF_TYPE_SOFTWARE = 1;
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

  /**
   * Opens a sampling software event, disabled until a program is attached.
   *
   * @param pid a thread or process id, or -1 for every process on {@code cpu}
   * @param cpu a CPU, or -1 for any CPU {@code pid} runs on
   * @param frequencyHz samples per second
   * @return the perf event's file descriptor
   */
  public static int openSoftware(int config, int pid, int cpu, long frequencyHz) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
      attr.set(JAVA_INT, 0, PERF_TYPE_SOFTWARE);
      attr.set(JAVA_INT, 4, ATTR_SIZE);
      attr.set(JAVA_LONG, 8, config);
      attr.set(JAVA_LONG, 16, frequencyHz); // sample_freq, as FLAG_FREQ says
      attr.set(JAVA_LONG, 40, FLAG_DISABLED | FLAG_FREQ);
      MemorySegment state = Libbpf.callState(arena);
      long fd = (long) SYSCALL.invokeExact(state, syscallNumber(), attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
      if (fd < 0) {
        throw Errors.failure(Libbpf.errno(state), "opening a software perf event (config " + config + ")");
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
