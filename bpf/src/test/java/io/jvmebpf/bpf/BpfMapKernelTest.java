package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Map calls against a real kernel map: syscalls.bpf.c's {@code stats} hash map (8-byte keys,
 * 352-byte values), loaded but not attached so only this test writes it.
 */
@ExtendWith(RequiresBpf.class)
class BpfMapKernelTest {
  private static final int ENTRIES = 1000; // several batches of 256

  private BpfObject object;
  private BpfMap stats;
  private Arena arena;

  @BeforeEach
  void load() {
    object = BpfObject.openBundled("syscalls");
    ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
    object.load();
    stats = object.map("stats");
    arena = Arena.ofConfined();
  }

  @AfterEach
  void close() {
    arena.close();
    object.close();
  }

  @Test
  void sizesComeFromTheObject() {
    assertEquals(8, stats.keySize());
    assertEquals(352, stats.valueSize());
    assertEquals(16384, stats.maxEntries());
    assertTrue(stats.memoryBytes() >= 16384L * 352, "memlock " + stats.memoryBytes());
  }

  @Test
  void updateLookupDelete() {
    MemorySegment key = key(7, 1);
    MemorySegment value = arena.allocate(stats.valueSize());
    assertFalse(stats.lookup(key, value));
    stats.update(key, value(42));
    assertTrue(stats.lookup(key, value));
    assertEquals(42, value.get(JAVA_LONG, 0));
    assertTrue(stats.delete(key));
    assertFalse(stats.delete(key));
    assertFalse(stats.lookup(key, value));
  }

  @Test
  void forEachVisitsEveryEntryExactlyOnceInBatchesAndKeyByKey() {
    for (int i = 0; i < ENTRIES; i++) {
      stats.update(key(i, i % 7), value(i * 3L));
    }
    assertEquals(expected(), visit(false));
    assertEquals(expected(), visit(true));
  }

  @Test
  void resizingALoadedMapIsRefusedWithASentence() {
    BpfException e = assertThrows(BpfException.class, () -> stats.setMaxEntries(10));
    assertTrue(e.getMessage().contains("already loaded"), e.getMessage());
  }

  private Map<Integer, Long> expected() {
    Map<Integer, Long> expected = new HashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      expected.put(i, i * 3L);
    }
    return expected;
  }

  private Map<Integer, Long> visit(boolean keyByKey) {
    Map<Integer, Long> seen = new HashMap<>();
    BpfMap.EntryVisitor visitor = (k, v) -> {
      Long previous = seen.put(k.get(JAVA_INT, 0), v.get(JAVA_LONG, 0));
      assertEquals(null, previous, "visited twice: tid " + k.get(JAVA_INT, 0));
    };
    int visited = keyByKey ? stats.forEachKeyByKey(visitor) : stats.forEach(visitor);
    assertEquals(ENTRIES, visited);
    return seen;
  }

  private MemorySegment key(int tid, int nr) {
    MemorySegment key = arena.allocate(8);
    key.set(JAVA_INT, 0, tid);
    key.set(JAVA_INT, 4, nr);
    return key;
  }

  private MemorySegment value(long count) {
    MemorySegment value = arena.allocate(stats.valueSize());
    value.set(JAVA_LONG, 0, count);
    return value;
  }
}
