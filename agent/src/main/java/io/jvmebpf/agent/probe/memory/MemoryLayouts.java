package io.jvmebpf.agent.probe.memory;

/** Byte layouts of memory.h's structs, mirrored: {@code MemoryProbe} checks the sizes at load. */
final class MemoryLayouts {
  // struct memory_config, after the scope
  static final long CONFIG_SAMPLE_BYTES = 24;
  static final long CONFIG_BYTES = 32;

  // struct thread_memory
  static final long THREAD_ALLOC_CALLS = 0;
  static final long THREAD_ALLOC_BYTES = 8;
  static final long THREAD_FREE_CALLS = 16;
  static final long THREAD_MMAP_CALLS = 24;
  static final long THREAD_MMAP_BYTES = 32;
  static final long THREAD_MUNMAP_CALLS = 40;
  static final long THREAD_MUNMAP_BYTES = 48;
  static final long THREAD_BRK_CALLS = 56;
  static final long THREAD_BRK_BYTES = 64;
  static final long THREAD_FAULTS = 72;
  static final long THREAD_MIN_FLT_START = 80;
  static final long THREAD_MAJ_FLT_START = 88;
  static final long THREAD_MIN_FLT_END = 96;
  static final long THREAD_MAJ_FLT_END = 104;
  static final long THREAD_EXITED = 112;
  static final int THREAD_BYTES = 120;

  static final int PENDING_BYTES = 48;

  // struct allocation
  static final long ALLOCATION_SIZE = 0;
  static final long ALLOCATION_WEIGHT = 8;
  static final long ALLOCATION_STACK = 16;
  static final long ALLOCATION_NS = 24;
  static final long ALLOCATION_TID = 32;
  static final int ALLOCATION_BYTES = 40;

  // struct site_key
  static final long SITE_STACK = 0;
  static final long SITE_TID = 8;
  static final int SITE_KEY_BYTES = 16;

  // struct alloc_site
  static final long SITE_ALLOCATIONS = 0;
  static final long SITE_BYTES = 8;
  static final int SITE_BYTES_SIZE = 16;

  // enum memory_counter
  static final int THREADS_FULL = 0;
  static final int PENDING_FULL = 1;
  static final int ALLOCATIONS_FULL = 2;
  static final int SITES_FULL = 3;
  static final int STACKS_LOST = 4;
  static final int FAULT_SITES_FULL = 5;
  static final int COUNTERS = 6;

  private MemoryLayouts() {}
}
