package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A consumer of a {@code BPF_MAP_TYPE_RINGBUF} map. {@link #poll} calls the handler on the polling
 * thread, once per record, with a read-only segment over the record in the ring itself, valid only
 * during the call; a handler that throws loses that record and is counted, never the host. A ring
 * buffer has one consumer at a time: poll, consume and close take turns, and after close the
 * others do nothing.
 *
 * <p>This reads the ring's memory directly, as libbpf's {@code ringbuf.c} does, rather than
 * through {@code ring_buffer__poll}: that would call back into Java through an FFM upcall per
 * record, which cost the agent's poll threads microseconds per record while the upcall's code
 * stayed interpreted at a few hundred records a second. The layout is the kernel's ABI (see
 * {@code kernel/bpf/ringbuf.c}): the consumer position on its own page, which we map read-write;
 * the producer position on the next page followed by the data, mapped read-only, with the data
 * mapped twice back to back so that a record that wraps past the end is still contiguous; and each
 * record an 8-byte header whose first 32 bits are its length and two flags.
 */
public final class RingBuffer implements AutoCloseable {
  private static final int BPF_MAP_TYPE_RINGBUF = 27;
  private static final int HEADER_BYTES = 8; // BPF_RINGBUF_HDR_SZ
  private static final int BUSY_BIT = 1 << 31; // BPF_RINGBUF_BUSY_BIT: reserved, not committed yet
  private static final int DISCARD_BIT = 1 << 30; // BPF_RINGBUF_DISCARD_BIT: skip it
  // The positions are unsigned longs the kernel publishes with release stores.
  private static final VarHandle POSITION = JAVA_LONG.varHandle().withInvokeExactBehavior();
  private static final VarHandle HEADER_LENGTH = JAVA_INT.varHandle().withInvokeExactBehavior();
  private static final long PAGE_SIZE = Libc.pageSize();

  private final String mapName;
  private final Consumer<MemorySegment> handler;
  // Shared: opened on one thread, polled on another. Closing it unmaps the ring, after which a
  // segment a handler kept throws instead of reading unmapped memory.
  private final Arena arena = Arena.ofShared();
  private final MemorySegment consumerPage;
  private final MemorySegment producerPage;
  private final MemorySegment data;
  private final long mask;
  private final int epollFd;
  // Reused by every poll, under this object's lock, so that waiting allocates nothing.
  private final MemorySegment callState;
  private final MemorySegment epollEvent;
  private long delivered; // records handed to the handler since open
  private long handlerFailures;
  private boolean closed;

  private RingBuffer(BpfMap map, Consumer<MemorySegment> handler) {
    this.mapName = map.name();
    this.handler = handler;
    int epoll = -1;
    try {
      int mapFd = map.fd();
      if (mapFd < 0) {
        throw new BpfException(0, "opening ring buffer " + mapName + ": the map is not loaded");
      }
      if (map.type() != BPF_MAP_TYPE_RINGBUF) {
        throw new BpfException(
            0, "opening ring buffer " + mapName + ": not a BPF_MAP_TYPE_RINGBUF map");
      }
      long size = Integer.toUnsignedLong(map.maxEntries());
      // The kernel only creates rings of a power-of-two number of pages; the mask relies on it.
      if (Long.bitCount(size) != 1 || size % PAGE_SIZE != 0) {
        throw new BpfException(0, "opening ring buffer " + mapName + ": unexpected size " + size);
      }
      this.mask = size - 1;
      this.callState = Libbpf.callState(arena);
      this.consumerPage = mmap(mapFd, PAGE_SIZE, Libc.PROT_READ | Libc.PROT_WRITE, 0);
      // The kernel refuses to map the producer page and the data writable.
      this.producerPage = mmap(mapFd, PAGE_SIZE + 2 * size, Libc.PROT_READ, PAGE_SIZE).asReadOnly();
      this.data = producerPage.asSlice(PAGE_SIZE);

      epoll =
          Errors.checkLibc(
              (int) Libc.epoll_create1.invokeExact(callState, Libc.EPOLL_CLOEXEC),
              callState,
              "creating an epoll instance for ring buffer " + mapName);
      // struct epoll_event is 12 bytes packed on x86-64 and 16 on aarch64, events first in both;
      // 16 zeroed bytes serve either, and its data is unused with one fd per epoll instance.
      this.epollEvent = arena.allocate(16, 8);
      epollEvent.set(JAVA_INT, 0, Libc.EPOLLIN);
      Errors.checkLibc(
          (int) Libc.epoll_ctl.invokeExact(callState, epoll, Libc.EPOLL_CTL_ADD, mapFd, epollEvent),
          callState,
          "watching ring buffer " + mapName + " with epoll");
      this.epollFd = epoll;
    } catch (Throwable t) {
      closeQuietly(epoll);
      arena.close(); // unmaps whatever was mapped
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
    int ready;
    try {
      ready = (int) Libc.epoll_wait.invokeExact(callState, epollFd, epollEvent, 1, timeoutMs);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
    if (ready < 0) {
      int errno = Libbpf.errno(callState);
      if (errno == Libc.EINTR) {
        return 0;
      }
      throw Errors.failure(errno, "polling ring buffer " + mapName);
    }
    // On a timeout too, unlike libbpf: two loads, and a record committed without a wakeup
    // (BPF_RB_NO_WAKEUP) waits one timeout rather than until the next wakeup.
    return consumeAvailable();
  }

  /** Hands every record available now to the handler, without waiting. */
  public synchronized int consume() {
    if (closed) {
      return 0;
    }
    return consumeAvailable();
  }

  /** Records whose handler threw. */
  public long handlerFailures() {
    return handlerFailures;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(epollFd);
    arena.close();
  }

  /**
   * libbpf's {@code ringbuf_process_ring}: the acquire loads pair with the kernel's release stores
   * (the producer position when reserving, the header when committing), so a record's bytes are
   * visible once its header says committed.
   */
  private int consumeAvailable() {
    long start = delivered;
    long position = (long) POSITION.getAcquire(consumerPage, 0L);
    boolean gotNewData;
    do {
      gotNewData = false;
      long producerPos = (long) POSITION.getAcquire(producerPage, 0L);
      while (position < producerPos) {
        long next = consumeRecord(position);
        if (next == position) {
          return saturated(delivered - start);
        }
        position = next;
        gotNewData = true;
      }
    } while (gotNewData);
    return saturated(delivered - start);
  }

  /**
   * Hands the record at {@code position} to the handler, unless it was discarded, then releases
   * its space to the kernel: only then, as the handler reads it in place. A method per record, not
   * the loop's body, because at a few hundred records a second the JIT compiles a method called
   * per record within seconds, and a loop in a method called per poll only after minutes.
   *
   * @return the next record's position, or {@code position} when there is nothing to consume now:
   *     this record is not committed yet (records are consumed in order), or the handler closed us
   */
  private long consumeRecord(long position) {
    long header = position & mask;
    int length = (int) HEADER_LENGTH.getAcquire(data, header);
    if ((length & BUSY_BIT) != 0) {
      return position;
    }
    int size = length & ~(BUSY_BIT | DISCARD_BIT);
    if ((length & DISCARD_BIT) == 0) {
      // The one allocation per record: a segment cannot be repointed, and the handler takes one.
      // Small and short-lived; escape analysis can remove it where the handler is inlined.
      deliver(data.asSlice(header + HEADER_BYTES, size));
      delivered++;
      if (closed) {
        return position; // the ring is unmapped
      }
    }
    long next = position + ((HEADER_BYTES + size + 7) & ~7L);
    POSITION.setRelease(consumerPage, 0L, next);
    return next;
  }

  private void deliver(MemorySegment record) {
    try {
      handler.accept(record);
    } catch (Throwable t) {
      handlerFailures++;
    }
  }

  private static int saturated(long records) {
    return (int) Math.min(records, Integer.MAX_VALUE);
  }

  private MemorySegment mmap(int fd, long length, int protection, long offset) {
    long start = Libc.mmapShared(callState, fd, length, protection, offset, "mapping ring buffer " + mapName);
    return MemorySegment.ofAddress(start).reinterpret(length, arena, unused -> Libc.munmapQuietly(start, length));
  }

  private static void closeQuietly(int fd) {
    if (fd < 0) {
      return;
    }
    try {
      int unused = (int) Libc.close.invokeExact(fd);
    } catch (Throwable t) {
      // Closing an fd we own does not fail in a way we could act on.
    }
  }
}
