package io.jvmebpf.agent.probe.processes;

/** Byte layouts of processes.h's structs, mirrored: {@code ProcessesProbe} checks the sizes at load. */
final class ProcessLayouts {
  // struct child_process
  static final int ARGV_BYTES = 512;
  static final long CHILD_PID = 0;
  static final long CHILD_TID = 4;
  static final long CHILD_START_NS = 8;
  static final long CHILD_ARGV_BYTES = 16;
  static final long CHILD_ARGV = 24;
  static final int CHILD_BYTES = (int) CHILD_ARGV + ARGV_BYTES;

  // struct child_exit_event
  static final long EXIT_END_NS = 0;
  static final long EXIT_CPU_NS = 8;
  static final long EXIT_STATUS = 16;
  static final long EXIT_CHILD = 24;
  static final int EXIT_BYTES = (int) EXIT_CHILD + CHILD_BYTES;

  // enum processes_counter
  static final int CHILDREN_FULL = 0;
  static final int EXITS_LOST = 1;

  private ProcessLayouts() {}
}
