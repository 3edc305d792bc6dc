package io.jvmebpf.agent.probe;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * Kernel events waiting for the JVM's events of the same moment, which JFR delivers about a
 * second late: a fixed ring of records of {@code width} longs, copied as they are from the BPF ring
 * buffer. Adding, on the ring buffer's callback, allocates nothing; when full, new events are
 * counted and dropped (the kernel's sums, not these events, are the totals).
 */
public final class EventRing {
  /** Sees one record: {@code data[offset .. offset + width)}, valid during the call only. */
  public interface Visitor {
    void visit(long[] data, int offset);
  }

  private final long[] data;
  private final int width;
  private final int timeIndex;
  private final int capacity;
  private int head; // oldest
  private int size;
  private int unvisited; // the newest records, not yet seen by visitNew
  private long dropped;

  /**
   * @param width the record's size in longs
   * @param timeIndex which long of a record is the time it is drained by
   */
  public EventRing(int capacity, int width, int timeIndex) {
    this.data = new long[capacity * width];
    this.capacity = capacity;
    this.width = width;
    this.timeIndex = timeIndex;
  }

  /** Copies a record; a shorter one is ignored, a longer one cut. */
  public synchronized void add(MemorySegment event) {
    if (event.byteSize() < width * 8L) {
      return;
    }
    if (size == capacity) {
      dropped++;
      return;
    }
    MemorySegment.copy(event, JAVA_LONG, 0, data, ((head + size) % capacity) * width, width);
    size++;
    unvisited++;
  }

  /** Hands over, oldest first, the records added since the last call; they stay in the ring. */
  public synchronized void visitNew(Visitor visitor) {
    for (int i = size - unvisited; i < size; i++) {
      visitor.visit(data, ((head + i) % capacity) * width);
    }
    unvisited = 0;
  }

  /** Hands over, oldest first, every record whose time is before {@code cutoffNs}. */
  public synchronized void drainBefore(long cutoffNs, Visitor visitor) {
    while (size > 0 && data[head * width + timeIndex] < cutoffNs) {
      visitor.visit(data, head * width);
      head = (head + 1) % capacity;
      size--;
      unvisited = Math.min(unvisited, size);
    }
  }

  public synchronized long dropped() {
    return dropped;
  }
}
