package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** threads.bpf.c in the real kernel: one ring-buffer record per exiting thread of this process. */
@ExtendWith(RequiresBpf.class)
class RingBufferKernelTest {
  private record Exit(int tid, String comm) {}

  @Test
  void reportsEachExitingThreadOfThisProcessOnceAndNoOtherProcess() throws Exception {
    try (BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      List<BpfLink> links = object.attachAll();
      List<Exit> exits = new ArrayList<>();
      try (RingBuffer ring = RingBuffer.open(object.map("thread_exits"), e -> exits.add(decode(e)))) {
        int[] tids = new int[5];
        for (int i = 0; i < tids.length; i++) {
          int slot = i;
          Thread t = new Thread(() -> tids[slot] = NativeThreads.gettid(), "exiting-" + i);
          t.start();
          t.join();
        }
        Process other = new ProcessBuilder("true").start();
        other.waitFor();

        long deadline = System.nanoTime() + 5_000_000_000L;
        while (exits.stream().filter(e -> e.comm().startsWith("exiting-")).count() < tids.length
            && System.nanoTime() < deadline) {
          ring.poll(100);
        }
        for (int i = 0; i < tids.length; i++) {
          int tid = tids[i];
          List<Exit> mine = exits.stream().filter(e -> e.tid() == tid).toList();
          assertEquals(List.of(new Exit(tid, "exiting-" + i)), mine);
        }
        assertFalse(exits.stream().anyMatch(e -> e.tid() == other.pid()),
            "an exit of another process reached the ring buffer: " + exits);
        assertEquals(0, ring.handlerFailures());
      }
      assertTrue(links.stream().allMatch(BpfLink::isAttached));
      assertEquals(0, object.map("lost_exits").counter(0));
    }
  }

  @Test
  void runStatisticsCountRunsWhileEnabled() throws Exception {
    try (BpfStats stats = BpfStats.enable(); BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      object.attachAll();
      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        Thread t = new Thread(ran::incrementAndGet);
        t.start();
        t.join();
      }
      // Every exit in the machine runs the program, not only ours: at least our three. The kernel
      // thread exits a little after join() returns, so give the last one a moment.
      BpfProgram.RunStats run = object.program("thread_exit").runStats();
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (run.runCount() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
        run = object.program("thread_exit").runStats();
      }
      assertTrue(run.runCount() >= 3, "run count " + run.runCount());
      assertTrue(run.runTimeNs() > 0, "run time " + run.runTimeNs());
    }
  }

  private static Exit decode(java.lang.foreign.MemorySegment event) {
    return new Exit(event.get(JAVA_INT, 0), event.getString(16));
  }
}
