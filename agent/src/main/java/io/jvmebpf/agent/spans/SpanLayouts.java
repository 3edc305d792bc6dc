package io.jvmebpf.agent.spans;

/** Byte layouts of spans.h's structs, mirrored: {@code SpanProbe} checks the sizes at load. */
final class SpanLayouts {
  static final int CONFIG_BYTES = 24;

  // struct span_thread
  static final long SWITCHES = 0;
  static final long TID = 8;
  static final long PHASE = 12;
  static final long SINCE_NS = 16;
  static final long PHASE_NS = 24; // [enum span_phase], 8 bytes each
  static final long SYSCALLS = 56;
  static final long SENT_BYTES = 64;
  static final long RECEIVED_BYTES = 72;
  static final long FAULTS = 80;
  static final int THREAD_BYTES = 128;

  // enum span_phase
  static final int ON_CPU = 0;
  static final int RUN_QUEUE = 1;
  static final int SLEEP = 2;
  static final int DISK = 3;
  static final int PHASES = 4;

  static final int MAX_THREADS = 4096;

  // enum spans_counter
  static final int FREED = 0;

  private SpanLayouts() {}
}
