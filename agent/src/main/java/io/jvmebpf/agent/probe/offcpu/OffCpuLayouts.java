package io.jvmebpf.agent.probe.offcpu;

/** Byte layouts of offcpu.h's structs, mirrored: {@code OffCpuProbe} checks the sizes at load. */
final class OffCpuLayouts {
  // struct offcpu_config: the scope, then
  static final long CONFIG_BYTES = 40;
  static final long CONFIG_MIN_NS = 24;
  static final long CONFIG_START_NS = 32;

  // struct offcpu_key
  static final int KEY_BYTES = 32;
  static final long KEY_TID = 0;
  static final long KEY_STATE = 4;
  static final long KEY_SYSCALL = 8;
  static final long KEY_KERNEL_STACK = 16;
  static final long KEY_USER_STACK = 24;

  // struct offcpu_total
  static final int TOTAL_BYTES = 16;
  static final long TOTAL_NS = 0;
  static final long TOTAL_INTERVALS = 8;

  // struct offcpu_thread
  static final int RUN_QUEUE_BUCKETS = 40;
  static final long THREAD_SINCE_NS = 0;
  static final long THREAD_PHASE = 8;
  static final long THREAD_KEY = 16;
  static final long THREAD_FIRST_NS = 16 + KEY_BYTES;
  static final long THREAD_ON_CPU_NS = THREAD_FIRST_NS + 16; // after exec_ns
  static final long THREAD_RUN_QUEUE_NS = THREAD_FIRST_NS + 24;
  static final long THREAD_OFF_CPU_NS = THREAD_FIRST_NS + 32;
  static final long THREAD_RUN_QUEUE_LOG2 = THREAD_FIRST_NS + 40;
  static final int THREAD_BYTES = (int) THREAD_RUN_QUEUE_LOG2 + RUN_QUEUE_BUCKETS * 8;

  // enum offcpu_phase
  static final int ON_CPU = 1;
  static final int RUN_QUEUE = 2;
  static final int OFF_CPU = 3;
  static final int ENDED = 4;

  // struct offcpu_event
  static final int EVENT_BYTES = 16 + KEY_BYTES;
  static final long EVENT_START_NS = 0;
  static final long EVENT_END_NS = 8;
  static final long EVENT_KEY = 16;

  /** offcpu_key.state of an interval that began before the kernel followed the thread. */
  static final int STATE_UNKNOWN = 0xffffffff;

  // enum offcpu_counter
  static final int KERNEL_STACKS_LOST = 0;
  static final int USER_STACKS_LOST = 1;
  static final int KEYS_FULL = 2;
  static final int EVENTS_LOST = 3;
  static final int THREADS_FULL = 4;
  static final int OUT_OF_ORDER = 5;

  private OffCpuLayouts() {}
}
