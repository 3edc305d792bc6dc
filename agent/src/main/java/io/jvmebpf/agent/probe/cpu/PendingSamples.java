package io.jvmebpf.agent.probe.cpu;

/**
 * Sample events from the kernel waiting for the JVM's samples of the same moment, which JFR
 * delivers about a second late. A fixed ring of primitives: adding, on the ring buffer's callback,
 * allocates nothing; when full, new events are counted and dropped (the kernel's counts, not these
 * events, are the totals: events only say how to split them).
 */
final class PendingSamples {
  interface Visitor {
    void visit(long timeNs, int epoch, int tid, long kernelStack, long userStack);
  }

  private final long[] times;
  private final int[] epochs;
  private final int[] tids;
  private final long[] kernelStacks;
  private final long[] userStacks;
  private int head; // oldest
  private int size;
  private int unvisited; // the newest events, not yet seen by visitNew
  private long dropped;

  PendingSamples(int capacity) {
    times = new long[capacity];
    epochs = new int[capacity];
    tids = new int[capacity];
    kernelStacks = new long[capacity];
    userStacks = new long[capacity];
  }

  synchronized void add(long timeNs, int epoch, int tid, long kernelStack, long userStack) {
    if (size == times.length) {
      dropped++;
      return;
    }
    int slot = (head + size) % times.length;
    times[slot] = timeNs;
    epochs[slot] = epoch;
    tids[slot] = tid;
    kernelStacks[slot] = kernelStack;
    userStacks[slot] = userStack;
    size++;
    unvisited++;
  }

  /** Hands over, oldest first, the events added since the last call; they stay pending. */
  synchronized void visitNew(Visitor visitor) {
    for (int i = size - unvisited; i < size; i++) {
      int slot = (head + i) % times.length;
      visitor.visit(times[slot], epochs[slot], tids[slot], kernelStacks[slot], userStacks[slot]);
    }
    unvisited = 0;
  }

  /** Hands over, oldest first, every event taken before {@code cutoffNs}. */
  synchronized int drainBefore(long cutoffNs, Visitor visitor) {
    int drained = 0;
    while (size > 0 && times[head] < cutoffNs) {
      visitor.visit(times[head], epochs[head], tids[head], kernelStacks[head], userStacks[head]);
      head = (head + 1) % times.length;
      size--;
      unvisited = Math.min(unvisited, size);
      drained++;
    }
    return drained;
  }

  synchronized long dropped() {
    return dropped;
  }
}
