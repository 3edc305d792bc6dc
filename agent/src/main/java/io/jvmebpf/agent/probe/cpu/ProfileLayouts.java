package io.jvmebpf.agent.probe.cpu;

/** Byte layouts of profile.h's structs, mirrored: {@code CpuProbe} checks the sizes at load. */
final class ProfileLayouts {
  static final long CONFIG_BYTES = 24; // struct profile_config: the scope only

  // struct sample_key
  static final int KEY_BYTES = 32;
  static final long KEY_TID = 0;
  static final long KEY_EPOCH = 4;
  static final long KEY_KERNEL_STACK = 8;
  static final long KEY_USER_STACK = 16;
  static final long KEY_VTHREAD = 24;

  // struct sample_event
  static final int EVENT_BYTES = 40;
  static final long EVENT_TIME_NS = 0;
  static final long EVENT_KEY = 8;

  // enum profile_counter
  static final int SAMPLES = 0;
  static final int KERNEL_STACKS_LOST = 1;
  static final int USER_STACKS_LOST = 2;
  static final int KEYS_FULL = 3;
  static final int EVENTS_LOST = 4;

  private ProfileLayouts() {}
}
