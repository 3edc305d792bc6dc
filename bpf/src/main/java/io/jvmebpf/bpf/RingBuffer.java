package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;

/**
 * A consumer of a {@code BPF_MAP_TYPE_RINGBUF} map ({@code struct ring_buffer}). {@link #poll}
 * calls the handler on the polling thread, once per record, with a segment valid only during the
 * call; a handler that throws loses that record and is counted, never the host. libbpf's ring
 * buffer has one consumer at a time: poll, consume and close take turns, and after close the
 * others do nothing.
 */
public final class RingBuffer implements AutoCloseable {
  private static final MethodHandle ON_RECORD;

  static {
    try {
      ON_RECORD =
          MethodHandles.lookup()
              .findVirtual(
                  RingBuffer.class,
                  "onRecord",
                  MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String mapName;
  private final Consumer<MemorySegment> handler;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment handle;
  private long handlerFailures;
  private boolean closed;

  private RingBuffer(BpfMap map, Consumer<MemorySegment> handler) {
    this.mapName = map.name();
    this.handler = handler;
    try {
      MemorySegment callback =
          Libbpf.linker()
              .upcallStub(
                  ON_RECORD.bindTo(this),
                  FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG),
                  arena);
      MemorySegment state = Libbpf.callState(arena);
      MemorySegment rb =
          (MemorySegment)
              Libbpf.ring_buffer__new.invokeExact(
                  state, map.fd(), callback, MemorySegment.NULL, MemorySegment.NULL);
      this.handle = Errors.check(rb, state, "opening ring buffer " + mapName);
    } catch (Throwable t) {
      arena.close();
      throw Errors.rethrow(t);
    }
  }

  public static RingBuffer open(BpfMap map, Consumer<MemorySegment> handler) {
    return new RingBuffer(map, handler);
  }

  /**
   * Waits up to {@code timeoutMs} for records and hands each to the handler.
   *
   * @return the number of records consumed
   */
  public synchronized int poll(int timeoutMs) {
    if (closed) {
      return 0;
    }
    try {
      int n = (int) Libbpf.ring_buffer__poll.invokeExact(handle, timeoutMs);
      return n == -4 /* EINTR */ ? 0 : Errors.check(n, "polling ring buffer " + mapName);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** Hands every record available now to the handler, without waiting. */
  public synchronized int consume() {
    if (closed) {
      return 0;
    }
    try {
      return Errors.check(
          (int) Libbpf.ring_buffer__consume.invokeExact(handle), "consuming ring buffer " + mapName);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** Records whose handler threw. */
  public long handlerFailures() {
    return handlerFailures;
  }

  @SuppressWarnings("unused") // called from native code through ON_RECORD
  private int onRecord(MemorySegment ctx, MemorySegment data, long size) {
    try {
      handler.accept(data.reinterpret(size));
    } catch (Throwable t) {
      handlerFailures++;
    }
    return 0;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Libbpf.ring_buffer__free.invokeExact(handle);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    } finally {
      arena.close();
    }
  }
}
