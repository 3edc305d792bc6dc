package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** One map of a {@link BpfObject}. Element calls need the object loaded; sizing calls need it not. */
public final class BpfMap {
  private static final int ENOENT = 2;
  private static final int ENOSPC = 28;
  private static final int BATCH_ENTRIES = 256;

  private final BpfObject object;
  private final MemorySegment handle;
  private final String name;

  BpfMap(BpfObject object, MemorySegment handle) {
    this.object = object;
    this.handle = handle;
    try {
      this.name = ((MemorySegment) Libbpf.bpf_map__name.invokeExact(handle)).reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** Visits map entries; the segments are valid only during the call. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(MemorySegment key, MemorySegment value);
  }

  public String name() {
    return name;
  }

  public int fd() {
    try {
      return (int) Libbpf.bpf_map__fd.invokeExact(handle);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** The kernel's {@code enum bpf_map_type}, e.g. 27 for {@code BPF_MAP_TYPE_RINGBUF}. */
  int type() {
    try {
      return (int) Libbpf.bpf_map__type.invokeExact(handle);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  public int keySize() {
    try {
      return (int) Libbpf.bpf_map__key_size.invokeExact(handle);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  public int valueSize() {
    try {
      return (int) Libbpf.bpf_map__value_size.invokeExact(handle);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  public int maxEntries() {
    try {
      return (int) Libbpf.bpf_map__max_entries.invokeExact(handle);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** Resizes the map before load, as options like {@code net.max=} ask. */
  public void setMaxEntries(int maxEntries) {
    object.requireNotLoaded("resizing map " + name);
    try {
      Errors.check(
          (int) Libbpf.bpf_map__set_max_entries.invokeExact(handle, maxEntries),
          "resizing map " + name + " to " + maxEntries);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** Kernel memory charged for this map ({@code memlock} in its fdinfo), or -1 if not shown. */
  public long memoryBytes() {
    object.requireLoaded("sizing map " + name);
    return FdInfo.longValue(FdInfo.read(fd()), "memlock");
  }

  /** The initial contents of a global-data map, writable before load. */
  MemorySegment initialValue() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
      MemorySegment data = (MemorySegment) Libbpf.bpf_map__initial_value.invokeExact(handle, size);
      if (data.equals(MemorySegment.NULL)) {
        throw new BpfException(0, "map " + name + " has no initial value");
      }
      return data.reinterpret(size.get(ValueLayout.JAVA_LONG, 0));
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /**
   * Maps the values of a loaded array map created with {@code BPF_F_MMAPABLE} into this process,
   * read-write: user space and the kernel then share them, with no syscall per read or write.
   * The mapping ends when {@code arena} closes.
   */
  public MemorySegment mapShared(Arena arena) {
    return map(arena, false);
  }

  /**
   * {@link #mapShared}, for memory that native code beyond the arena's reach writes (a JVMTI
   * callback that may be running as the arena closes): closing replaces the mapping with private
   * anonymous memory at the same address rather than unmapping it, so a late write lands there
   * harmlessly instead of faulting, and the map is released all the same. The address range
   * stays reserved for the life of the process.
   */
  public MemorySegment mapSharedForNativeWriters(Arena arena) {
    return map(arena, true);
  }

  private MemorySegment map(Arena arena, boolean keepAddressRange) {
    object.requireLoaded("mapping map " + name);
    long page = Libc.pageSize();
    long length = ((long) maxEntries() * valueSize() + page - 1) / page * page;
    long start = Libc.mmapShared(Libbpf.callState(arena), fd(), length, Libc.PROT_READ | Libc.PROT_WRITE, 0L,
        "mapping map " + name);
    return MemorySegment.ofAddress(start).reinterpret(length, arena,
        unused -> { if (keepAddressRange) replaceWithAnonymous(start, length); else Libc.munmapQuietly(start, length); });
  }

  private static void replaceWithAnonymous(long address, long length) {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment unused = (MemorySegment) Libc.mmap.invokeExact(Libbpf.callState(call),
          MemorySegment.ofAddress(address), length, Libc.PROT_READ | Libc.PROT_WRITE,
          Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED, -1, 0L);
    } catch (Throwable t) {
      // MAP_FIXED over our own mapping fails only without memory; the map then stays mapped.
    }
  }

  /** Copies the value for {@code key} into {@code value}; false when there is no such key. */
  public boolean lookup(MemorySegment key, MemorySegment value) {
    object.requireLoaded("reading map " + name);
    requireSizes(key, value);
    try {
      int result = (int) Libbpf.bpf_map_lookup_elem.invokeExact(fd(), key, value);
      if (result == -ENOENT) {
        return false;
      }
      Errors.check(result, "reading map " + name);
      return true;
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** For an array map of {@code __u64} counters: the counter at {@code index}. */
  public long counter(int index) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocateFrom(JAVA_INT, index);
      MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
      return lookup(key, value) ? value.get(ValueLayout.JAVA_LONG, 0) : 0;
    }
  }

  public void update(MemorySegment key, MemorySegment value) {
    object.requireLoaded("writing map " + name);
    requireSizes(key, value);
    try {
      Errors.check(
          (int) Libbpf.bpf_map_update_elem.invokeExact(fd(), key, value, 0L), "writing map " + name);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** For an array map of {@code __u32}: sets the value at {@code index}. */
  public void setInt(int index, int value) {
    try (Arena arena = Arena.ofConfined()) {
      update(arena.allocateFrom(JAVA_INT, index), arena.allocateFrom(JAVA_INT, value));
    }
  }

  /**
   * Deletes every entry of a hash or stack map (an array's entries cannot be deleted): the keys
   * are listed first, then deleted, so entries the kernel adds meanwhile may stay.
   *
   * @return the number of entries deleted
   */
  public int clear() {
    object.requireLoaded("clearing map " + name);
    List<byte[]> keys = new ArrayList<>();
    int deleted = 0;
    try (Arena arena = Arena.ofConfined()) {
      // Keys only: reading the values (a stack is 1 KiB) would copy the whole map for nothing.
      MemorySegment key = arena.allocate(keySize(), 8);
      MemorySegment previous = MemorySegment.NULL;
      while ((int) Libbpf.bpf_map_get_next_key.invokeExact(fd(), previous, key) == 0) {
        keys.add(key.toArray(ValueLayout.JAVA_BYTE));
        previous = key;
      }
      for (byte[] bytes : keys) {
        MemorySegment.copy(bytes, 0, key, ValueLayout.JAVA_BYTE, 0, bytes.length);
        deleted += delete(key) ? 1 : 0;
      }
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
    return deleted;
  }


  /** Deletes {@code key}; false when it was not there. */
  public boolean delete(MemorySegment key) {
    object.requireLoaded("deleting from map " + name);
    try {
      int result = (int) Libbpf.bpf_map_delete_elem.invokeExact(fd(), key);
      if (result == -ENOENT) {
        return false;
      }
      Errors.check(result, "deleting from map " + name);
      return true;
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /**
   * Visits every entry: in batches of {@value #BATCH_ENTRIES} where the kernel supports batch
   * lookups (one syscall per batch), else key by key. Entries added or removed meanwhile may or may
   * not be seen, as with any BPF map iteration.
   *
   * @return the number of entries visited
   */
  public int forEach(EntryVisitor visitor) {
    object.requireLoaded("reading map " + name);
    try (Arena arena = Arena.ofConfined()) {
      int visited = forEachBatched(arena, visitor);
      return visited >= 0 ? visited : forEachByKey(arena, visitor);
    }
  }

  /** {@link #forEach} without batches, as on kernels before 5.6. */
  int forEachKeyByKey(EntryVisitor visitor) {
    object.requireLoaded("reading map " + name);
    try (Arena arena = Arena.ofConfined()) {
      return forEachByKey(arena, visitor);
    }
  }

  /** @return entries visited, or -1 when this map or kernel has no batch lookup */
  private int forEachBatched(Arena arena, EntryVisitor visitor) {
    int keySize = keySize();
    int valueSize = valueSize();
    int capacity = BATCH_ENTRIES;
    MemorySegment keys = arena.allocate((long) keySize * capacity, 8);
    MemorySegment values = arena.allocate((long) valueSize * capacity, 8);
    // The kernel's position token: at least a key wide, 8 bytes for hash maps' bucket index.
    MemorySegment inBatch = arena.allocate(Math.max(8, keySize), 8);
    MemorySegment outBatch = arena.allocate(Math.max(8, keySize), 8);
    MemorySegment count = arena.allocate(JAVA_INT);
    boolean first = true;
    int visited = 0;
    try {
      while (true) {
        count.set(JAVA_INT, 0, capacity);
        MemorySegment position = first ? MemorySegment.NULL : inBatch;
        int result =
            (int)
                Libbpf.bpf_map_lookup_batch.invokeExact(
                    fd(), position, outBatch, keys, values, count, MemorySegment.NULL);
        if (result < 0 && result != -ENOENT) {
          if (first && result != -ENOSPC) {
            return -1;
          }
          Errors.check(result, "reading map " + name + " in batches");
        }
        int n = count.get(JAVA_INT, 0);
        for (int i = 0; i < n; i++) {
          visitor.visit(
              keys.asSlice((long) i * keySize, keySize), values.asSlice((long) i * valueSize, valueSize));
        }
        visited += n;
        if (result == -ENOENT) {
          return visited;
        }
        MemorySegment.copy(outBatch, 0, inBatch, 0, inBatch.byteSize());
        first = false;
      }
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  private int forEachByKey(Arena arena, EntryVisitor visitor) {
    MemorySegment key = arena.allocate(keySize(), 8);
    MemorySegment next = arena.allocate(keySize(), 8);
    MemorySegment value = arena.allocate(valueSize(), 8);
    int visited = 0;
    try {
      MemorySegment previous = MemorySegment.NULL;
      while ((int) Libbpf.bpf_map_get_next_key.invokeExact(fd(), previous, next) == 0) {
        MemorySegment.copy(next, 0, key, 0, key.byteSize());
        // The entry may have been deleted since get_next_key returned it.
        if ((int) Libbpf.bpf_map_lookup_elem.invokeExact(fd(), key, value) == 0) {
          visitor.visit(key, value);
          visited++;
        }
        previous = key;
      }
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
    return visited;
  }

  private void requireSizes(MemorySegment key, MemorySegment value) {
    if (key.byteSize() < keySize() || value.byteSize() < valueSize()) {
      throw new IllegalArgumentException(
          "map " + name + " needs a " + keySize() + "-byte key and a " + valueSize()
              + "-byte value, got " + key.byteSize() + " and " + value.byteSize());
    }
  }
}
