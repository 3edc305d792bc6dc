package io.jvmebpf.agent.probe.files;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.bpf.ProcessScope;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * Java mirror of {@code bpf/src/main/bpf/files.h}: change both together. The probe checks the map
 * key and value sizes against these at load time.
 */
final class FilesLayouts {
  static final int NR_LIMIT = 1024;
  static final int PATH_MAX = 256;
  static final int FD_LIMIT = 65536;
  static final int GENERATION_UNKNOWN = -1; // 0xFFFFFFFF

  // enum file_op
  static final byte OP_OPEN = 1;
  static final byte OP_OPENAT = 2;
  static final byte OP_READ = 3;
  static final byte OP_WRITE = 4;
  static final byte OP_SYNC = 5;
  static final byte OP_CLOSE = 6;

  // enum files_overflow
  static final int OVERFLOW_IO_FULL = 0;
  static final int OVERFLOW_INFLIGHT_FULL = 1;
  static final int OVERFLOW_FDS_FULL = 2;
  static final int OVERFLOW_PATHS_FULL = 3;

  static final StructLayout CONFIG =
      MemoryLayout.structLayout(
          MemoryLayout.sequenceLayout(ProcessScope.BYTES, JAVA_BYTE).withName("scope"),
          MemoryLayout.sequenceLayout(NR_LIMIT, JAVA_BYTE).withName("op"));

  static final StructLayout KEY =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("open_id"), JAVA_INT.withName("fd"), JAVA_INT.withName("tid"),
          JAVA_INT.withName("generation"), JAVA_INT.withName("unused"));

  static final StructLayout IO =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("bytes_read"),
          JAVA_LONG.withName("bytes_written"),
          JAVA_LONG.withName("reads"),
          JAVA_LONG.withName("writes"),
          JAVA_LONG.withName("fsyncs"),
          JAVA_LONG.withName("total_ns"),
          JAVA_LONG.withName("max_ns"));

  static final long CONFIG_OP = CONFIG.byteOffset(groupElement("op"));
  static final long KEY_OPEN_ID = KEY.byteOffset(groupElement("open_id"));
  static final long KEY_FD = KEY.byteOffset(groupElement("fd"));
  static final long KEY_TID = KEY.byteOffset(groupElement("tid"));
  static final long KEY_GENERATION = KEY.byteOffset(groupElement("generation"));
  static final long IO_BYTES_READ = IO.byteOffset(groupElement("bytes_read"));
  static final long IO_BYTES_WRITTEN = IO.byteOffset(groupElement("bytes_written"));
  static final long IO_READS = IO.byteOffset(groupElement("reads"));
  static final long IO_WRITES = IO.byteOffset(groupElement("writes"));
  static final long IO_FSYNCS = IO.byteOffset(groupElement("fsyncs"));
  static final long IO_TOTAL_NS = IO.byteOffset(groupElement("total_ns"));
  static final long IO_MAX_NS = IO.byteOffset(groupElement("max_ns"));

  private FilesLayouts() {}
}
