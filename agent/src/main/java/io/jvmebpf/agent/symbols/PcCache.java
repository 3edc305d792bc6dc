package io.jvmebpf.agent.symbols;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;

/**
 * Program counter to resolved frame, direct-mapped: a fixed array of slots, a new address replacing
 * whatever shared its slot. Bounded by construction and allocation-free on a hit (no boxed key),
 * which is what repeated addresses of hot code need. Not thread-safe: its owner locks.
 */
final class PcCache {
  /** Stored for an address that resolved to no frame, so that the answer is cached too. */
  static final Frame NO_FRAME = new Frame("", FrameKind.UNKNOWN);

  private final long[] pcs;
  private final Frame[] frames;
  private final int shift;

  /**
   * @param bits the cache holds {@code 2^bits} slots
   */
  PcCache(int bits) {
    pcs = new long[1 << bits];
    frames = new Frame[1 << bits];
    shift = 64 - bits;
  }

  /**
   * @return the cached frame, {@link #NO_FRAME}, or null when {@code pc} is not cached
   */
  Frame get(long pc) {
    int slot = slot(pc);
    return pcs[slot] == pc ? frames[slot] : null;
  }

  /**
   * @param frame null to remember that {@code pc} has none
   */
  void put(long pc, Frame frame) {
    int slot = slot(pc);
    pcs[slot] = pc;
    frames[slot] = frame == null ? NO_FRAME : frame;
  }

  /** Fibonacci hashing: nearby code addresses land in distant slots. */
  private int slot(long pc) {
    return (int) ((pc * 0x9E3779B97F4A7C15L) >>> shift);
  }
}
