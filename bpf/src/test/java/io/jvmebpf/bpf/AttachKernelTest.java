package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The perf-event and uprobe attach paths, with attach_selftest.bpf.c's counters. */
@ExtendWith(RequiresBpf.class)
class AttachKernelTest {
  private static final int PERF_SAMPLES = 0;
  private static final int UPROBE_HITS = 1;
  private static final int CALLS = 777;
  private static final MethodHandle GETPPID =
      Linker.nativeLinker().downcallHandle(
          Linker.nativeLinker().defaultLookup().find("getppid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

  private BpfObject object;

  @BeforeEach
  void load() {
    object = BpfObject.openBundled("attach_selftest");
    ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
    object.load();
  }

  @AfterEach
  void close() {
    object.close();
  }

  @Test
  void aUprobeOnLibcCountsEveryCallOfThisProcess() throws Throwable {
    BpfLink link = object.program("on_call")
        .attachUprobe(false, (int) ProcessHandle.current().pid(), libcPath(), "getppid");
    for (int i = 0; i < CALLS; i++) {
      int unused = (int) GETPPID.invokeExact();
    }
    assertEquals(CALLS, object.map("counters").counter(UPROBE_HITS));
    link.close();
    int unused = (int) GETPPID.invokeExact();
    assertEquals(CALLS, object.map("counters").counter(UPROBE_HITS), "still counting after detach");
  }

  @Test
  void aSoftwarePerfEventSamplesTheThreadItWatches() throws Exception {
    long[] samples = new long[1];
    Thread spinner = new Thread(() -> {
      int fd = PerfEvent.openSoftware(
          PerfEvent.PERF_COUNT_SW_TASK_CLOCK, NativeThreads.gettid(), -1, 1000);
      try (BpfLink link = object.program("on_sample").attachPerfEvent(fd)) {
        spin(300);
      }
      samples[0] = object.map("counters").counter(PERF_SAMPLES);
    }, "spinner");
    spinner.start();
    spinner.join();
    // 300 ms of the thread's CPU at 1 kHz: about 300 samples.
    assertTrue(samples[0] >= 100 && samples[0] <= 450, "samples " + samples[0]);
    spin(50);
    assertEquals(samples[0], object.map("counters").counter(PERF_SAMPLES), "sampling after detach");
  }

  /**
   * A link closed by its holder leaves its object's list (a CPU probe's perf links, closed at each
   * pause, would otherwise pile up there), and detach takes only the programs it names.
   */
  @Test
  void aClosedLinkLeavesItsObjectAndDetachTakesOnlyTheProgramsNamed() throws Exception {
    BpfLink uprobe = object.program("on_call")
        .attachUprobe(false, (int) ProcessHandle.current().pid(), libcPath(), "getppid");
    BpfLink perf = object.program("on_sample").attachPerfEvent(
        PerfEvent.openSoftware(PerfEvent.PERF_COUNT_SW_TASK_CLOCK, NativeThreads.gettid(), -1, 1000));
    assertEquals(2, object.links().size());
    perf.close();
    assertEquals(List.of(uprobe), object.links());
    object.detach(name -> name.equals("on_sample"));
    assertTrue(uprobe.isAttached(), "a program not named was detached");
    object.detach(name -> name.equals("on_call"));
    assertFalse(uprobe.isAttached());
    assertEquals(List.of(), object.links());
  }

  /** Spins until the thread has had {@code millis} of CPU: on a busy machine, wall time is less. */
  private static void spin(long millis) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long end = cpu.getCurrentThreadCpuTime() + millis * 1_000_000;
    double x = 0;
    while (cpu.getCurrentThreadCpuTime() < end) {
      x += Math.sqrt(x + 1);
    }
    if (x == 42) {
      System.out.println(x);
    }
  }

  private static String libcPath() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .map(line -> line.substring(line.lastIndexOf(' ') + 1))
        .filter(path -> path.contains("/libc.so") || path.contains("/libc-"))
        .findFirst().orElseThrow();
  }
}
