package io.jvmebpf.agent.probe.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.MemoryOptions;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.MemoryInfo;
import io.jvmebpf.agent.report.NativeMemory;
import io.jvmebpf.agent.report.PageFaults;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** memory.bpf.c in the real kernel, through the probe, on allocations and faults of this test's threads. */
@ExtendWith(RequiresBpf.class)
class MemoryProbeKernelTest {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle MALLOC = libc("malloc", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
  private static final MethodHandle CALLOC =
      libc("calloc", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
  private static final MethodHandle REALLOC =
      libc("realloc", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
  private static final MethodHandle FREE = libc("free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
  private static final long SIZE = 65_536;

  /**
   * Every block tracked: a thread's 1,000 mallocs of 64 KiB, 500 frees, one calloc and one realloc
   * of a held block. Its calls are at least these (the JVM may malloc on the thread too), and the
   * blocks it holds at the report are exactly those it did not free, at its own stacks.
   */
  @Test
  void everyBlockTrackedCountsAThreadsCallsAndWhatItHolds() throws Throwable {
    MemoryProbe probe = new MemoryProbe(new MemoryOptions(true, 0, 65_536, false, false));
    ReportBuilder report = new ReportBuilder();
    int[] tid = new int[1];
    List<MemorySegment> held = new ArrayList<>();
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe) {
      probe.start(jvm.context());
      Thread allocator = Thread.ofPlatform().name("allocator").start(() -> {
        tid[0] = currentTid();
        try {
          for (int i = 0; i < 1000; i++) {
            MemorySegment block = (MemorySegment) MALLOC.invokeExact(SIZE);
            if (i % 2 == 0) {
              FREE.invokeExact(block);
            } else {
              held.add(block);
            }
          }
          held.add((MemorySegment) CALLOC.invokeExact(16L, 4096L)); // 64 KiB
          // Grown in place or moved: the old block is gone either way, the new one held.
          held.set(0, (MemorySegment) REALLOC.invokeExact(held.get(0), 2 * SIZE));
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
      });
      allocator.join();
      probe.contribute(report);
    } finally {
      for (MemorySegment block : held) {
        FREE.invokeExact(block);
      }
    }
    NativeMemory mine = report.nativeMemory(tid[0]);
    assertTrue(mine.mallocCalls() >= 1002 && mine.mallocBytes() >= 1001 * SIZE + 2 * SIZE, mine.toString());
    assertTrue(mine.freeCalls() >= 500, mine.toString());
    long expected = 499 * SIZE + SIZE + 2 * SIZE; // the 500th held block was realloc'd to 128 KiB
    List<MemoryInfo.Outstanding> ours = report.memoryInfo().topOutstanding().stream()
        .filter(o -> o.tid() == tid[0]).toList();
    assertTrue(mine.outstandingBytes() >= expected, mine + " " + ours);
    // What the JVM itself may hold on the thread is small beside it.
    assertTrue(mine.outstandingBytes() < expected + SIZE, mine + " " + ours);
    assertTrue(mine.outstandingAllocations() >= 501, mine.toString());
    long atOurStacks = ours.stream().mapToLong(MemoryInfo.Outstanding::bytes).sum();
    assertTrue(atOurStacks >= expected, ours.toString());
    assertEquals(0, report.dropped().get("memory.allocationsMapFull"));
    assertEquals(0, report.dropped().get("memory.userStacksLost"));
    long siteBytes = profile(report, "native-alloc").stream().filter(s -> s.tid() == tid[0])
        .mapToLong(StackSample::count).sum();
    assertTrue(siteBytes >= 1001 * SIZE + 2 * SIZE, "allocated at the thread's stacks: " + siteBytes);
  }

  /**
   * Sampled one block per 64 KiB on average: 100,000 blocks of 1,000 bytes, half freed, each
   * tracked with probability 1000/65536 (about 760 of the 50,000 held). The estimates are within
   * 10% of the truth; the calls are counted, not estimated.
   */
  @Test
  void sampledTrackingEstimatesWhatAThreadHoldsWithinTenPercent() throws Throwable {
    MemoryProbe probe = new MemoryProbe(new MemoryOptions(true, 65_536, 65_536, false, false));
    ReportBuilder report = new ReportBuilder();
    int[] tid = new int[1];
    MemorySegment[] blocks = new MemorySegment[100_000];
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe) {
      probe.start(jvm.context());
      Thread allocator = Thread.ofPlatform().name("sampled").start(() -> {
        tid[0] = currentTid();
        try {
          for (int i = 0; i < blocks.length; i++) {
            blocks[i] = (MemorySegment) MALLOC.invokeExact(1000L);
          }
          for (int i = 0; i < blocks.length; i += 2) {
            FREE.invokeExact(blocks[i]);
            blocks[i] = null;
          }
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
      });
      allocator.join();
      probe.contribute(report);
    } finally {
      for (MemorySegment block : blocks) {
        if (block != null) {
          FREE.invokeExact(block);
        }
      }
    }
    NativeMemory mine = report.nativeMemory(tid[0]);
    assertTrue(mine.mallocCalls() >= 100_000 && mine.mallocCalls() < 101_000, mine.toString());
    assertTrue(mine.freeCalls() >= 50_000 && mine.freeCalls() < 51_000, mine.toString());
    assertEquals(50_000_000, mine.outstandingBytes(), 5_000_000, mine.toString());
    assertEquals(50_000, mine.outstandingAllocations(), 5_000, mine.toString());
    long siteBytes = profile(report, "native-alloc").stream().filter(s -> s.tid() == tid[0])
        .mapToLong(StackSample::count).sum();
    assertEquals(100_000_000, siteBytes, 10_000_000, "allocated, estimated");
  }

  /**
   * Paused, the allocator's calls are not counted, but frees still remove the blocks they free:
   * after the resume a thread's calls count again, and a block freed during the pause is not held.
   */
  @Test
  void aPauseCountsNoCallsButSeesFrees() throws Throwable {
    MemoryProbe probe = new MemoryProbe(new MemoryOptions(true, 0, 65_536, false, false));
    ReportBuilder report = new ReportBuilder();
    int[] tid = new int[1];
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe) {
      probe.start(jvm.context());
      Thread allocator = Thread.ofPlatform().name("paused").start(() -> {
        tid[0] = currentTid();
        try {
          MemorySegment[] before = new MemorySegment[100];
          for (int i = 0; i < before.length; i++) {
            before[i] = (MemorySegment) MALLOC.invokeExact(SIZE);
          }
          probe.pause();
          for (MemorySegment block : before) {
            FREE.invokeExact(block);
          }
          for (int i = 0; i < 1000; i++) {
            FREE.invokeExact((MemorySegment) MALLOC.invokeExact(SIZE));
          }
          probe.resume();
          for (int i = 0; i < 10; i++) {
            MemorySegment unused = (MemorySegment) MALLOC.invokeExact(SIZE); // held: 10 blocks
          }
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
      });
      allocator.join();
      probe.contribute(report);
    }
    NativeMemory mine = report.nativeMemory(tid[0]);
    assertTrue(mine.mallocCalls() >= 110 && mine.mallocCalls() < 1000, mine.toString());
    assertTrue(mine.outstandingBytes() >= 10 * SIZE && mine.outstandingBytes() < 20 * SIZE, mine.toString());
  }

  /** A thread's first write to each page of 64 MiB of fresh memory takes 16,384 faults; minor, none major. */
  @Test
  void aThreadTouchingFreshPagesTakesAFaultEach() throws Exception {
    MemoryProbe probe = new MemoryProbe(new MemoryOptions(false, 0, 64, true, false));
    ReportBuilder report = new ReportBuilder();
    int[] tid = new int[1];
    long bytes = 64L << 20;
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe; Arena arena = Arena.ofShared()) {
      probe.start(jvm.context());
      Thread toucher = Thread.ofPlatform().name("toucher").start(() -> {
        tid[0] = currentTid();
        // Mapped fresh, not from the allocator's free lists: no page is resident before its write.
        MemorySegment memory = arena.allocate(bytes, 4096);
        for (long page = 0; page < bytes; page += 4096) {
          memory.set(ValueLayout.JAVA_BYTE, page, (byte) 1);
        }
      });
      toucher.join();
      // join returns once the JVM is done with the thread, a moment before its task exits: its
      // exit is where the kernel's counters are read.
      Path task = Path.of("/proc/self/task/" + tid[0]);
      for (int i = 0; i < 200 && Files.exists(task); i++) {
        Thread.sleep(10);
      }
      probe.contribute(report);
    }
    PageFaults faults = report.pageFaults(tid[0]);
    assertTrue(faults.faults() >= 16_384 && faults.faults() < 16_384 + 2_000, faults.toString());
    assertTrue(faults.minor() >= 16_384, faults.toString());
    assertEquals(0, faults.major(), faults.toString());
    long atStacks = profile(report, "faults").stream().filter(s -> s.tid() == tid[0])
        .mapToLong(StackSample::count).sum();
    assertEquals(faults.faults(), atStacks);
  }

  private static List<StackSample> profile(ReportBuilder report, String name) {
    return report.profiles().stream().filter(p -> p.baseName().equals(name)).findFirst().orElseThrow()
        .profile().samples();
  }

  private static int currentTid() {
    try {
      return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
  }
}
