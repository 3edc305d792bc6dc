package io.jvmebpf.agent.spans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.otel.SpanLink;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.FileOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * spans.bpf.c in the real kernel, through the probe and the method handles the OpenTelemetry
 * extension calls, on spans of this test's threads whose work the test constructs.
 */
@ExtendWith(RequiresBpf.class)
class SpanProbeKernelTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<String, Object> hooks = SpanHooks.connect();
  private final MethodHandle start = (MethodHandle) hooks.get("start");
  private final MethodHandle end = (MethodHandle) hooks.get("end");

  /**
   * A span that burns CPU, then makes exactly 100 writes: its on-CPU time is the thread's CPU
   * time across it (within the hook's own), its syscalls the writes (plus at most a few the JVM
   * may make on the thread: a safepoint's futex), and it is linked from inside its interval.
   */
  @Test
  void aSpanGetsItsThreadsCpuTimeAndSyscalls() throws Throwable {
    long[] figures = new long[KernelFigures.COUNT];
    long[] cpu = new long[2];
    long[] times = new long[2];
    int[] tid = new int[1];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    SpanProbe probe = new SpanProbe();
    ReportBuilder report = new ReportBuilder();
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe;
        FileOutputStream devNull = new FileOutputStream("/dev/null")) {
      probe.start(jvm.context());
      Thread worker = Thread.ofPlatform().name("span-worker").start(() -> {
        try {
          tid[0] = CurrentThreadId.get();
          start.invokeExact(1L, 2L, 3L); // claims the thread's slot: its syscalls come first
          cpu[0] = THREADS.getCurrentThreadCpuTime();
          times[0] = System.nanoTime();
          burn(200_000_000L);
          cpu[1] = THREADS.getCurrentThreadCpuTime();
          for (int i = 0; i < 100; i++) {
            devNull.write(i);
          }
          times[1] = System.nanoTime();
          assertTrue((boolean) end.invokeExact("GET /cpu", 3L, 0L, figures));
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      worker.join();
      if (failure.get() != null) {
        throw failure.get();
      }
      SpanLink link = SpanHooks.links().at(tid[0], (times[0] + times[1]) / 2);
      assertNotNull(link);
      assertEquals(new SpanLink(1L, 2L, 3L), link);
      probe.contribute(report);
    }
    long cpuNs = cpu[1] - cpu[0];
    long onCpu = figures[KernelFigures.ON_CPU_NS];
    // The span also holds the two getCurrentThreadCpuTime calls and 100 writes: a few ms at most.
    assertTrue(onCpu >= cpuNs * 0.98 && onCpu <= cpuNs + 20_000_000L, "on CPU " + onCpu + " ns, thread CPU " + cpuNs);
    long syscalls = figures[KernelFigures.SYSCALLS];
    assertTrue(syscalls >= 102 && syscalls <= 110, syscalls + " syscalls for 100 writes and 2 clock reads");
    assertEquals(0, figures[KernelFigures.SENT_BYTES]);
    SpanSummary spans = report.spans();
    assertEquals(1, spans.attributed());
    assertEquals("GET /cpu", spans.top(KernelFigures.ON_CPU_NS).get(0).name());
  }

  /**
   * A span that sleeps 200 ms is off CPU, asleep, for that long and on CPU for little; a span
   * that sends exactly 100,000 bytes on a loopback connection has sent exactly that, and the
   * receiver's span received it.
   */
  @Test
  void aSpanGetsItsSleepAndItsSocketBytes() throws Throwable {
    long[] sleeper = new long[KernelFigures.COUNT];
    long[] sender = new long[KernelFigures.COUNT];
    long[] receiver = new long[KernelFigures.COUNT];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    SpanProbe probe = new SpanProbe();
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe;
        ServerSocketChannel server = ServerSocketChannel.open()) {
      probe.start(jvm.context());
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread sleeping = Thread.ofPlatform().name("span-sleeper").start(() -> run(failure, () -> {
        start.invokeExact(0L, 1L, 10L);
        Thread.sleep(200);
        assertTrue((boolean) end.invokeExact("GET /sleep", 10L, 0L, sleeper));
      }));
      Thread receiving = Thread.ofPlatform().name("span-receiver").start(() -> run(failure, () -> {
        try (SocketChannel accepted = server.accept()) {
          start.invokeExact(0L, 2L, 20L);
          ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
          long total = 0;
          while (total < 100_000) {
            int read = accepted.read(buffer.clear());
            if (read < 0) {
              break;
            }
            total += read;
          }
          assertTrue((boolean) end.invokeExact("receive", 20L, 0L, receiver));
        }
      }));
      Thread sending = Thread.ofPlatform().name("span-sender").start(() -> run(failure, () -> {
        try (SocketChannel channel = SocketChannel.open(server.getLocalAddress())) {
          start.invokeExact(0L, 3L, 30L);
          ByteBuffer data = ByteBuffer.allocateDirect(100_000);
          while (data.hasRemaining()) {
            channel.write(data);
          }
          assertTrue((boolean) end.invokeExact("send", 30L, 0L, sender));
        }
      }));
      sleeping.join();
      receiving.join();
      sending.join();
      if (failure.get() != null) {
        throw failure.get();
      }
    }
    assertTrue(sleeper[KernelFigures.SLEEP_NS] >= 195_000_000L, "asleep " + sleeper[KernelFigures.SLEEP_NS]);
    assertTrue(sleeper[KernelFigures.OFF_CPU_NS] <= 260_000_000L, "off CPU " + sleeper[KernelFigures.OFF_CPU_NS]);
    assertTrue(sleeper[KernelFigures.ON_CPU_NS] < 20_000_000L, "on CPU " + sleeper[KernelFigures.ON_CPU_NS]);
    assertEquals(100_000, sender[KernelFigures.SENT_BYTES]);
    assertEquals(0, sender[KernelFigures.RECEIVED_BYTES]);
    assertEquals(100_000, receiver[KernelFigures.RECEIVED_BYTES]);
  }

  /** A span ended on another thread than it started on gets no figures, and says so. */
  @Test
  void aSpanEndedElsewhereGetsNothing() throws Throwable {
    long[] figures = new long[KernelFigures.COUNT];
    SpanProbe probe = new SpanProbe();
    boolean[] attributed = {true};
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe) {
      probe.start(jvm.context());
      Thread starter = Thread.ofPlatform().start(() -> run(new AtomicReference<>(), () -> start.invokeExact(0L, 4L, 40L)));
      starter.join();
      attributed[0] = (boolean) end.invokeExact("async", 40L, 5_000_000L, figures);
      ReportBuilder report = new ReportBuilder();
      probe.contribute(report);
      assertEquals(1, report.spans().ended());
      assertEquals(0, report.spans().attributed());
      assertEquals(5_000_000L, report.spans().wallNs());
    }
    assertFalse(attributed[0]);
  }

  /**
   * A thread whose spans all end elsewhere (an asynchronous server's) keeps attributing the
   * spans it does end: the ones it never will make room.
   */
  @Test
  void spansEndedElsewhereDoNotCrowdOutTheThreadsOwn() throws Throwable {
    long[] figures = new long[KernelFigures.COUNT];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    boolean[] attributed = new boolean[1];
    SpanProbe probe = new SpanProbe();
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe) {
      probe.start(jvm.context());
      Thread worker = Thread.ofPlatform().start(() -> run(failure, () -> {
        for (long id = 100; id < 110; id++) {
          start.invokeExact(0L, 5L, id); // ended by no one here
        }
        start.invokeExact(0L, 5L, 200L);
        attributed[0] = (boolean) end.invokeExact("own", 200L, 0L, figures);
      }));
      worker.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    assertTrue(attributed[0]);
  }

  private interface Work {
    void run() throws Throwable;
  }

  private static void run(AtomicReference<Throwable> failure, Work work) {
    try {
      work.run();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  /** Spins for {@code ns} of wall time reading the clock through the vDSO: no syscall. */
  private static void burn(long ns) {
    long until = System.nanoTime() + ns;
    long x = 1;
    while (System.nanoTime() < until) {
      for (int i = 0; i < 10_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
    }
    if (x == 42) {
      System.out.println(x);
    }
  }
}
