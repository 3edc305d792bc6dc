package io.jvmebpf.agent.report;

/**
 * One thread's page faults: {@code faults} taken by its own code (user mode), counted by the
 * kernel's {@code page_fault_user} tracepoint; {@code minor} and {@code major} from the kernel's
 * own counters of the thread from its first such fault to its exit or the report (they also count
 * faults taken in syscalls on its behalf), null when they could not be read.
 */
public record PageFaults(long faults, Long minor, Long major) {}
