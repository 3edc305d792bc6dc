package io.jvmebpf.agent.probe.syscalls;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.AgentOptions;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.SyscallSummary;
import io.jvmebpf.agent.report.ThreadSummary;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * syscalls.bpf.c in the real kernel, through the probe: a thread makes exactly N getppid(2) calls
 * (which cannot fail) and exactly M close(-1) calls (each fails with EBADF), straight through libc
 * so the JDK adds none of its own.
 */
@ExtendWith(RequiresBpf.class)
class SyscallProbeKernelTest {
  private static final int GETPPID_CALLS = 1234;
  private static final int FAILING_CLOSES = 321;
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle GETPPID = libc("getppid", FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle GETTID = libc("gettid", FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle GETPGID = libc("getpgid", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final int FAILING_GETPGIDS = 55;
  private static final SyscallTable TABLE = SyscallTable.forThisMachine();

  @Test
  void countsErrorsAndLatenciesExactlyPerThread() throws Exception {
    ThreadSummary thread = runTraced(Set.of());
    SyscallSummary getppid = find(thread, "getppid");
    SyscallSummary close = find(thread, "close");

    assertEquals(GETPPID_CALLS, getppid.count());
    assertEquals(0, getppid.errors());
    assertEquals(FAILING_CLOSES, close.count());
    assertEquals(FAILING_CLOSES, close.errors());
    for (SyscallSummary s : new SyscallSummary[] {getppid, close}) {
      assertEquals(s.count(), s.latencyLog2Ns().values().stream().mapToLong(Long::longValue).sum(),
          "histogram of " + s.name() + " does not add up to its count: " + s.latencyLog2Ns());
      assertTrue(s.maxNs() > 0 && s.totalNs() >= s.maxNs(), s.toString());
      // Buckets are powers of two and the maximum falls in the highest non-empty one.
      long top = s.latencyLog2Ns().lastKey();
      assertTrue(top <= s.maxNs() && s.maxNs() < Math.max(2, top * 2), top + " vs max " + s.maxNs());
    }
  }

  @Test
  void aFilterTracesOnlyTheNamedSyscalls() throws Exception {
    ThreadSummary thread = runTraced(Set.of("getppid"));
    assertEquals(GETPPID_CALLS, find(thread, "getppid").count());
    assertTrue(thread.syscalls().stream().allMatch(s -> s.name().equals("getppid")), thread.toString());
  }

  @Test
  void aFullMapCountsWhatItDropsAndKeepsWhatItHolds() throws Exception {
    // Room for one (thread, syscall) pair; nothing else in this JVM calls getppid or getpgid, so
    // the worker's getppid takes it and every getpgid after is dropped, and counted.
    ReportBuilder report = new ReportBuilder();
    ThreadSummary thread = runTraced(Set.of("getppid", "getpgid"), 1, report, SyscallProbeKernelTest::workThenGetpgid);
    assertEquals(GETPPID_CALLS, find(thread, "getppid").count());
    assertEquals(1, thread.syscalls().size(), thread.toString());
    assertEquals(FAILING_GETPGIDS, report.dropped().get("syscalls.statsMapFull"));
  }

  @Test
  void whilePausedNothingIsCountedAndAfterResumeEverything() throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    ReportBuilder report = new ReportBuilder();
    SyscallProbe probe = new SyscallProbe(TABLE, Set.of("getppid"), AgentOptions.DEFAULT_SYSCALL_PAIRS);
    try (probe; ThisJvm jvm = ThisJvm.context(registry)) {
      probe.start(jvm.context());
      int[] tid = new int[1];
      Thread worker = new Thread(() -> {
        tid[0] = gettid();
        getppid(GETPPID_CALLS);
        probe.pause();
        getppid(500); // not counted
        probe.resume();
        getppid(GETPPID_CALLS);
      }, "syscaller");
      worker.start();
      worker.join();
      probe.contribute(report);
      ThreadSummary thread = report.threads(registry).stream().filter(t -> t.tid() == tid[0]).findFirst().orElseThrow();
      assertEquals(2 * GETPPID_CALLS, find(thread, "getppid").count(), thread.toString());
    }
  }

  private static void getppid(int calls) {
    try {
      for (int i = 0; i < calls; i++) {
        int unused = (int) GETPPID.invokeExact();
      }
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static ThreadSummary runTraced(Set<String> filter) throws Exception {
    ReportBuilder report = new ReportBuilder();
    ThreadSummary thread =
        runTraced(filter, AgentOptions.DEFAULT_SYSCALL_PAIRS, report, SyscallProbeKernelTest::work);
    assertEquals(0L, report.dropped().get("syscalls.statsMapFull"));
    return thread;
  }

  /** Runs {@code work} on a new thread with the probe attached; returns that thread's figures. */
  private static ThreadSummary runTraced(
      Set<String> filter, int maxPairs, ReportBuilder report, Runnable work) throws Exception {
    ThreadRegistry registry = new ThreadRegistry();
    SyscallProbe probe = new SyscallProbe(TABLE, filter, maxPairs);
    try (probe; ThisJvm jvm = ThisJvm.context(registry)) {
      probe.start(jvm.context());
      int[] tid = new int[1];
      Thread worker = new Thread(() -> {
        tid[0] = gettid();
        work.run();
      }, "syscaller");
      worker.start();
      worker.join();
      probe.contribute(report);
      return report.threads(registry).stream().filter(t -> t.tid() == tid[0]).findFirst()
          .orElseThrow(() -> new AssertionError("no figures for thread " + tid[0]));
    }
  }

  private static void work() {
    try {
      for (int i = 0; i < GETPPID_CALLS; i++) {
        int unused = (int) GETPPID.invokeExact();
      }
      for (int i = 0; i < FAILING_CLOSES; i++) {
        int unused = (int) CLOSE.invokeExact(-1);
      }
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static void workThenGetpgid() {
    work();
    try {
      for (int i = 0; i < FAILING_GETPGIDS; i++) {
        int unused = (int) GETPGID.invokeExact(-1);
      }
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static int gettid() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static SyscallSummary find(ThreadSummary thread, String name) {
    SyscallSummary found = thread.syscalls().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    assertNotNull(found, name + " missing from " + thread);
    return found;
  }

  private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
  }
}
