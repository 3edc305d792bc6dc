package io.jvmebpf.agent.probe.syscalls;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.bpf.ProcessScope;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * Java mirror of {@code bpf/src/main/bpf/syscalls.h}: change both together. The probe checks the
 * map key and value sizes against these at load time.
 */
final class SyscallLayouts {
  static final int NR_LIMIT = 1024;
  static final int LATENCY_BUCKETS = 40;
  static final int OVERFLOW_STATS_FULL = 0;
  static final int OVERFLOW_INFLIGHT_FULL = 1;
  static final int OVERFLOW_VTHREAD_STATS_FULL = 2;

  static final StructLayout CONFIG =
      MemoryLayout.structLayout(
          MemoryLayout.sequenceLayout(ProcessScope.BYTES, JAVA_BYTE).withName("scope"),
          JAVA_INT.withName("trace_all"),
          JAVA_INT.withName("unused"),
          MemoryLayout.sequenceLayout(NR_LIMIT / 64, JAVA_LONG).withName("traced"));

  static final StructLayout KEY =
      MemoryLayout.structLayout(JAVA_INT.withName("tid"), JAVA_INT.withName("nr"));

  /** struct vthread_syscall_key and struct vthread_syscall_stats. */
  static final StructLayout VTHREAD_KEY =
      MemoryLayout.structLayout(JAVA_LONG.withName("vthread"), JAVA_INT.withName("nr"), JAVA_INT.withName("unused"));
  static final StructLayout VTHREAD_STATS =
      MemoryLayout.structLayout(JAVA_LONG.withName("count"), JAVA_LONG.withName("errors"),
          JAVA_LONG.withName("total_ns"), JAVA_LONG.withName("max_ns"));
  static final long VTHREAD_KEY_VTHREAD = 0;
  static final long VTHREAD_KEY_NR = 8;

  static final StructLayout STATS =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("count"),
          JAVA_LONG.withName("errors"),
          JAVA_LONG.withName("total_ns"),
          JAVA_LONG.withName("max_ns"),
          MemoryLayout.sequenceLayout(LATENCY_BUCKETS, JAVA_LONG).withName("latency_log2"));

  static final long CONFIG_TRACE_ALL = CONFIG.byteOffset(groupElement("trace_all"));
  static final long CONFIG_TRACED = CONFIG.byteOffset(groupElement("traced"));
  static final long KEY_TID = KEY.byteOffset(groupElement("tid"));
  static final long KEY_NR = KEY.byteOffset(groupElement("nr"));
  static final long STATS_COUNT = STATS.byteOffset(groupElement("count"));
  static final long STATS_ERRORS = STATS.byteOffset(groupElement("errors"));
  static final long STATS_TOTAL_NS = STATS.byteOffset(groupElement("total_ns"));
  static final long STATS_MAX_NS = STATS.byteOffset(groupElement("max_ns"));
  static final long STATS_LATENCY = STATS.byteOffset(groupElement("latency_log2"));

  private SyscallLayouts() {}
}
