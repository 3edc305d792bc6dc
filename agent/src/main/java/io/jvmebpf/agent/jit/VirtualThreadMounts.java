package io.jvmebpf.agent.jit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The JVMTI helper's virtual-thread half ({@code jvmti_vthreads.c}): from {@link #start} on, every
 * mount writes the virtual thread's id into its carrier's slot in each array given to {@link
 * #publishInto} (memory mapped from the BPF arrays the CPU sampler and the syscall probe read),
 * and every unmount writes 0; each virtual thread's name is sent once, at its first mount, for
 * {@link #drain}. One at a time per process.
 */
public final class VirtualThreadMounts implements AutoCloseable {
  /** Slots, and the bytes of one: profile.h's VTHREAD_SLOTS and struct vthread_slot. */
  public static final int SLOTS = 4096;
  public static final int SLOT_BYTES = 16;

  // struct jvmebpf_vthread_name
  private static final int NAME_ENTRY_BYTES = 256;
  private static final long NAME_ID = 0;
  private static final long NAME_LENGTH = 8;
  private static final long NAME_BYTES = 16;
  private static final int DRAIN_ENTRIES = 64;

  // enum jvmebpf_vthread_stat
  public static final int MOUNTS = 0;
  public static final int UNMOUNTS = 1;
  public static final int COLLISIONS = 2;
  public static final int NAMES_DROPPED = 3;
  private static final int STAT_COUNT = 4;

  private static final int ERROR_CAP = 512;
  private static final int SLOT_ARRAYS = 4; // JVMEBPF_VTHREAD_SLOT_ARRAYS
  private static final java.util.List<SlotArray> arrays = new java.util.ArrayList<>(); // guarded by the class
  private static VirtualThreadMounts current; // guarded by the class: the running one, or null

  /** Receives a virtual thread's id and name (empty when it has none). */
  @FunctionalInterface
  public interface NameSink {
    void accept(long id, String name);
  }

  private final MethodHandle addSlots;
  private final MethodHandle removeSlots;
  private final MethodHandle stop;
  private final MethodHandle drain;
  private final MethodHandle stats;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment buffer;
  private boolean closed; // guarded by this

  private VirtualThreadMounts(JvmtiHelper helper) {
    addSlots = JvmtiHelper.downcall(helper.library(), "jvmebpf_vthreads_add_slots",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    removeSlots = JvmtiHelper.downcall(helper.library(), "jvmebpf_vthreads_remove_slots",
        FunctionDescriptor.ofVoid(JAVA_INT));
    stop = JvmtiHelper.downcall(helper.library(), "jvmebpf_vthreads_stop", FunctionDescriptor.ofVoid());
    drain = JvmtiHelper.downcall(helper.library(), "jvmebpf_vthreads_drain",
        FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    stats = JvmtiHelper.downcall(helper.library(), "jvmebpf_vthreads_stats",
        FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
    buffer = arena.allocate((long) NAME_ENTRY_BYTES * DRAIN_ENTRIES, 8);
  }

  /**
   * Writes mounts into {@code slots} too ({@link #SLOTS} x {@link #SLOT_BYTES} bytes, which must
   * stay writable for the life of the process: see {@code BpfMap.mapSharedForNativeWriters}) while
   * mounts are published, now or from {@link #start} on, until the returned handle is closed.
   * Loads nothing: the helper is loaded by {@link #start}, which a JVM still starting (premain)
   * cannot do.
   */
  public static AutoCloseable publishInto(MemorySegment slots) {
    if (slots.byteSize() < (long) SLOTS * SLOT_BYTES) {
      throw new IllegalArgumentException("slots: " + slots.byteSize() + " bytes");
    }
    SlotArray array = new SlotArray(slots);
    synchronized (VirtualThreadMounts.class) {
      arrays.add(array);
      if (current != null) {
        current.add(array);
      }
    }
    return () -> {
      synchronized (VirtualThreadMounts.class) {
        arrays.remove(array);
        if (current != null) {
          current.remove(array);
        }
      }
    };
  }

  /** One array of slots and, while written, its index in the helper. Guarded by the class. */
  private static final class SlotArray {
    final MemorySegment slots;
    int index = -1;

    SlotArray(MemorySegment slots) {
      this.slots = slots;
    }
  }

  private void add(SlotArray array) {
    try {
      array.index = (int) addSlots.invokeExact(array.slots, SLOTS);
    } catch (Throwable t) {
      throw new JvmtiException("jvmebpf_vthreads_add_slots failed: " + t, t);
    }
    if (array.index < 0) {
      throw new JvmtiException("the JVMTI helper writes " + SLOT_ARRAYS + " slot arrays already");
    }
  }

  private void remove(SlotArray array) {
    if (array.index >= 0) {
      try {
        removeSlots.invokeExact(array.index);
      } catch (Throwable t) {
        throw new IllegalStateException("jvmebpf_vthreads_remove_slots failed", t);
      }
      array.index = -1;
    }
  }

  /**
   * Starts taking mounts and unmounts, written into the arrays of {@link #publishInto}. Call from
   * a Java thread.
   *
   * @throws JvmtiException with the JVM's reason when it cannot (no can_support_virtual_threads,
   *     no mount events), or when another instance runs
   */
  public static VirtualThreadMounts start() {
    JvmtiHelper helper = JvmtiHelper.load();
    synchronized (VirtualThreadMounts.class) {
      if (current != null) {
        throw new JvmtiException("virtual-thread mounts are published already in this JVM");
      }
      VirtualThreadMounts mounts = new VirtualThreadMounts(helper);
      try {
        arrays.forEach(mounts::add);
      } catch (JvmtiException e) {
        arrays.forEach(mounts::remove);
        mounts.arena.close();
        throw e;
      }
      MethodHandle start = JvmtiHelper.downcall(helper.library(), "jvmebpf_vthreads_start",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
      try (Arena call = Arena.ofConfined()) {
        MemorySegment error = call.allocate(ERROR_CAP);
        int rc = (int) start.invokeExact(helper.javaVm(), error, (long) ERROR_CAP);
        if (rc != 0) {
          throw new JvmtiException(error.getString(0));
        }
      } catch (Throwable t) {
        arrays.forEach(mounts::remove);
        mounts.arena.close();
        throw t instanceof JvmtiException e ? e
            : new JvmtiException("the JVMTI helper's virtual-thread half could not start: " + t, t);
      }
      current = mounts;
      return mounts;
    }
  }

  /** Hands over the names sent since the last drain, oldest first. */
  public synchronized void drain(NameSink sink) {
    if (closed) {
      return;
    }
    long bytes;
    do {
      try {
        bytes = (long) drain.invokeExact(buffer, buffer.byteSize());
      } catch (Throwable t) {
        throw new IllegalStateException("jvmebpf_vthreads_drain failed", t);
      }
      for (long at = 0; at < bytes; at += NAME_ENTRY_BYTES) {
        int length = Math.min(buffer.get(JAVA_INT, at + NAME_LENGTH), NAME_ENTRY_BYTES - (int) NAME_BYTES);
        byte[] name = buffer.asSlice(at + NAME_BYTES, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        sink.accept(buffer.get(JAVA_LONG, at + NAME_ID), new String(name, StandardCharsets.UTF_8));
      }
    } while (bytes == buffer.byteSize());
  }

  /** The counters, indexed by {@link #MOUNTS}, {@link #UNMOUNTS}, ... (for the whole process). */
  public long[] stats() {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment out = call.allocate(JAVA_LONG, STAT_COUNT);
      stats.invokeExact(out, STAT_COUNT);
      return out.toArray(JAVA_LONG);
    } catch (Throwable t) {
      throw new IllegalStateException("jvmebpf_vthreads_stats failed", t);
    }
  }

  /** Stops publishing; the slots memory may be released after this returns. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("jvmebpf_vthreads_stop failed", t);
    } finally {
      arena.close();
      synchronized (VirtualThreadMounts.class) {
        arrays.forEach(this::remove); // written again by the next start
        current = null;
      }
    }
  }
}
