package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** threads.bpf.c in the real kernel: one ring-buffer record per exiting thread of this process. */
@ExtendWith(RequiresBpf.class)
class RingBufferKernelTest {
  // threads.h: a 256 KiB ring of 32-byte events, each behind an 8-byte header, so 6553 records
  // fit, and as 256 KiB is no multiple of 40 the record at the end of the ring wraps past it.
  private static final int RING_BYTES = 256 * 1024;
  private static final int RECORD_BYTES = 8 + 32;
  private static final int RING_RECORDS = RING_BYTES / RECORD_BYTES;

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

  @Test
  void consumesEveryRecordOnceWhileTheKernelProducesAroundTheRingSeveralTimes() throws Exception {
    int threads = 16_384; // 2.5 rings' worth
    try (BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      object.attachAll();
      List<Exit> exits = new ArrayList<>(); // the poller's until it is joined
      AtomicInteger mine = new AtomicInteger();
      AtomicInteger pollsWithRecords = new AtomicInteger();
      try (RingBuffer ring = RingBuffer.open(object.map("thread_exits"), e -> {
        Exit exit = decode(e);
        exits.add(exit);
        if (exit.comm().startsWith("wrap-")) {
          mine.incrementAndGet();
        }
      })) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        AtomicReference<Throwable> pollerFailure = new AtomicReference<>();
        Thread poller = new Thread(() -> {
          try {
            while (mine.get() < threads && System.nanoTime() < deadline) {
              if (ring.poll(50) > 0) {
                pollsWithRecords.incrementAndGet();
              }
            }
          } catch (Throwable t) {
            pollerFailure.set(t);
          }
        });
        poller.start();
        // Two producers, together at most 4000 threads ahead of the consumer: the ring (6553
        // records) never fills, so every exit must come through and none be lost.
        int[] tids = new int[threads];
        AtomicInteger started = new AtomicInteger();
        Thread[] producers = new Thread[2];
        for (int p = 0; p < producers.length; p++) {
          int first = p;
          producers[p] = new Thread(() -> {
            for (int i = first; i < threads; i += producers.length) {
              while (started.get() - mine.get() > 4000
                  && poller.isAlive()
                  && System.nanoTime() < deadline) {
                Thread.onSpinWait();
              }
              int slot = i;
              Thread t = new Thread(() -> tids[slot] = NativeThreads.gettid(), "wrap-" + i);
              t.start();
              started.incrementAndGet();
              joinUninterruptibly(t);
            }
          });
          producers[p].start();
        }
        for (Thread producer : producers) {
          producer.join();
        }
        poller.join();
        assertEquals(null, pollerFailure.get());

        Map<String, List<Integer>> tidsByComm = new HashMap<>();
        for (Exit exit : exits) {
          if (exit.comm().startsWith("wrap-")) {
            tidsByComm.computeIfAbsent(exit.comm(), c -> new ArrayList<>()).add(exit.tid());
          }
        }
        for (int i = 0; i < threads; i++) {
          // The comm names one thread: tids are reused within 16k threads when pid_max is 32768.
          assertEquals(List.of(tids[i]), tidsByComm.get("wrap-" + i), "exits of thread wrap-" + i);
        }
        assertEquals(threads, tidsByComm.size());
        assertEquals(0, object.map("lost_exits").counter(0));
        assertEquals(0, ring.handlerFailures());
        assertTrue(exits.size() > 2 * RING_RECORDS, exits.size() + " records");
        assertTrue(pollsWithRecords.get() > 2, pollsWithRecords + " polls had records");
      }
    }
  }

  @Test
  void countsTheRecordsThatDidNotFitAndResumesAfterConsumeFoundNone() throws Exception {
    int overflowing = RING_RECORDS + 1500;
    int afterwards = 100;
    try (BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      object.attachAll();
      BpfMap lost = object.map("lost_exits");
      List<Exit> exits = new ArrayList<>();
      BpfMap ringMap = object.map("thread_exits");
      try (RingBuffer ring = RingBuffer.open(ringMap, e -> exits.add(decode(e)))) {
        exitThreads("full-", overflowing);
        // Nobody consumes: once full the ring holds RING_RECORDS records and the kernel counts
        // every further exit of this process as lost, ours and any of the JVM's own.
        waitUntil(() -> lost.counter(0) >= overflowing - RING_RECORDS);
        Thread.sleep(200); // the last exits reach the probe a little after join()

        int drained = ring.consume();
        assertTrue(drained >= RING_RECORDS, "drained " + drained + " records of a full ring");
        while (ring.consume() > 0) {
          // exits that were still on their way
        }
        long lostAfterOverflow = lost.counter(0);

        // Consume found none; now records come again. They start where the full ring ended, 24
        // bytes short of its end, so the first of them wraps past it.
        exitThreads("more-", afterwards);
        waitUntil(() -> {
          ring.poll(50);
          return exits.stream().filter(e -> e.comm().startsWith("more-")).count() >= afterwards;
        });

        Map<String, Integer> seen = new HashMap<>();
        exits.forEach(e -> seen.merge(e.comm(), 1, Integer::sum));
        int fullSeen = 0;
        for (int i = 0; i < overflowing; i++) {
          int times = seen.getOrDefault("full-" + i, 0);
          assertTrue(times <= 1, "full-" + i + " seen " + times + " times");
          fullSeen += times;
        }
        assertTrue(fullSeen < overflowing, "all " + overflowing + " fit in the ring");
        int missing = overflowing - fullSeen;
        assertTrue(lostAfterOverflow >= missing,
            missing + " exits not seen, " + lostAfterOverflow + " counted lost");
        for (int i = 0; i < afterwards; i++) {
          assertEquals(1, seen.getOrDefault("more-" + i, 0), "exits of thread more-" + i);
        }
        assertEquals(lostAfterOverflow, lost.counter(0), "lost with room in the ring");
        assertEquals(0, ring.handlerFailures());
      }
    }
  }

  @Test
  void aHandlerThatThrowsLosesThatRecordOnlyAndCannotWriteTheRing() throws Exception {
    try (BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      object.attachAll();
      List<String> names = new ArrayList<>();
      RingBuffer ring = RingBuffer.open(object.map("thread_exits"), e -> {
        String comm = decode(e).comm();
        if (comm.equals("throws")) {
          throw new IllegalStateException("a handler's bug");
        }
        if (comm.equals("writes")) {
          e.set(JAVA_INT, 0, 0); // the data is mapped read-only: refused, not a crash
        }
        names.add(comm);
      });
      exitThreads(List.of("before", "throws", "writes", "after"));
      // All four records read: exits may reach the ring in another order than the joins returned.
      waitUntil(() -> {
        ring.poll(50);
        return names.contains("before") && names.contains("after") && ring.handlerFailures() >= 2;
      });
      // Only ours: the JVM may end threads of its own meanwhile. Sorted: Thread.join returns
      // when the JVM has ended a thread, before its kernel task exits, so exits may reorder.
      List<String> ours = List.of("before", "throws", "writes", "after");
      assertEquals(List.of("after", "before"),
          names.stream().filter(ours::contains).sorted().toList());
      assertEquals(2, ring.handlerFailures());

      ring.close();
      exitThreads(List.of("closed"));
      Thread.sleep(100);
      assertEquals(0, ring.poll(10));
      assertEquals(0, ring.consume());
      ring.close();
    }
  }

  @Test
  void refusesAMapThatIsNoRingBuffer() {
    try (BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      BpfMap array = object.map("lost_exits");
      BpfException e = assertThrows(BpfException.class, () -> RingBuffer.open(array, r -> {}));
      assertTrue(e.getMessage().contains("lost_exits"), e.getMessage());
    }
  }

  private static void exitThreads(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(prefix + i);
    }
    exitThreads(names);
  }

  private static void exitThreads(List<String> names) {
    for (String name : names) {
      Thread t = new Thread(() -> {}, name);
      t.start();
      joinUninterruptibly(t);
    }
  }

  private static void joinUninterruptibly(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(10);
    }
  }

  private static Exit decode(MemorySegment event) {
    return new Exit(event.get(JAVA_INT, 0), event.getString(16));
  }
}
