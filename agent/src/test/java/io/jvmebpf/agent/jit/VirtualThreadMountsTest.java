package io.jvmebpf.agent.jit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The JVMTI helper's mount events in this JVM, held against what each virtual thread sees from the
 * inside: its carrier's tid (/proc/thread-self) and its own id. No BPF: the slots are plain memory.
 */
class VirtualThreadMountsTest {
  private static final int THREADS = 200;
  /** Lives as long as the process: the helper's callbacks may write it at any time. */
  private static final MemorySegment SLOTS =
      Arena.global().allocate((long) VirtualThreadMounts.SLOTS * VirtualThreadMounts.SLOT_BYTES, 8);

  @Test
  void eachMountedVirtualThreadIsInItsCarriersSlotAndIsNamed() throws Exception {
    Map<Long, String> names = new HashMap<>();
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger checks = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    try (AutoCloseable published = VirtualThreadMounts.publishInto(SLOTS);
        VirtualThreadMounts mounts = VirtualThreadMounts.start()) {
      long[] before = mounts.stats();
      assertThrows(JvmtiException.class, VirtualThreadMounts::start);
      for (int i = 0; i < THREADS; i++) {
        threads.add(Thread.ofVirtual().name("probe-" + i).start(() -> {
          try {
            for (int round = 0; round < 2; round++) {
              checks.incrementAndGet();
              if (slotOfMyCarrier() == Thread.currentThread().threadId()) {
                seen.incrementAndGet();
              }
              Thread.sleep(2); // unmounts; mounted again, maybe on another carrier
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      mounts.drain(names::put);
      long[] after = mounts.stats();
      assertEquals(2 * THREADS, checks.get());
      assertEquals(2 * THREADS, seen.get(), "mounted virtual threads found in their carrier's slot");
      assertTrue(after[VirtualThreadMounts.MOUNTS] - before[VirtualThreadMounts.MOUNTS] >= 3 * THREADS,
          "a start and two wake-ups each");
      assertEquals(0, after[VirtualThreadMounts.COLLISIONS] - before[VirtualThreadMounts.COLLISIONS]);
    }
    for (Thread t : threads) {
      assertEquals("probe-" + t.getName().substring(6), names.get(t.threadId()), "named at first mount");
    }
    for (int slot = 0; slot < VirtualThreadMounts.SLOTS; slot++) {
      long vthread = SLOTS.get(JAVA_LONG, (long) slot * VirtualThreadMounts.SLOT_BYTES + 8);
      assertTrue(!names.containsKey(vthread), "an ended virtual thread is still published in slot " + slot);
    }
  }

  /** The virtual thread published in this carrier's slot, or -1 when the slot is another's. */
  private static long slotOfMyCarrier() throws Exception {
    int tid = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    long base = (long) (tid % VirtualThreadMounts.SLOTS) * VirtualThreadMounts.SLOT_BYTES;
    return SLOTS.get(JAVA_INT, base) == tid ? SLOTS.get(JAVA_LONG, base + 8) : -1;
  }
}
