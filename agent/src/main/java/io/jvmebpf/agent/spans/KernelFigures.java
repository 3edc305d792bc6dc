package io.jvmebpf.agent.spans;

import java.util.List;

/**
 * What the kernel saw on a thread, as running totals: the order of the values {@link ThreadSlots}
 * reads, a span's deltas hold, and span attributes and {@code summary.json} name.
 */
public final class KernelFigures {
  public static final int ON_CPU_NS = 0;
  public static final int OFF_CPU_NS = 1;
  public static final int RUN_QUEUE_NS = 2;
  public static final int SLEEP_NS = 3;
  public static final int DISK_NS = 4;
  public static final int SYSCALLS = 5;
  public static final int SENT_BYTES = 6;
  public static final int RECEIVED_BYTES = 7;
  public static final int PAGE_FAULTS = 8;
  public static final int COUNT = 9;

  /** The span attribute of each figure, in index order (README, "Span attributes"). */
  public static final List<String> ATTRIBUTES = List.of(
      "jvm_ebpf.cpu.on_ns",
      "jvm_ebpf.cpu.off_ns",
      "jvm_ebpf.cpu.off.run_queue_ns",
      "jvm_ebpf.cpu.off.sleep_ns",
      "jvm_ebpf.cpu.off.disk_ns",
      "jvm_ebpf.syscalls",
      "jvm_ebpf.network.sent_bytes",
      "jvm_ebpf.network.received_bytes",
      "jvm_ebpf.page_faults");

  /** The key of each figure in {@code summary.json}'s {@code spans}, in index order. */
  public static final List<String> JSON_KEYS = List.of(
      "onCpuNs", "offCpuNs", "runQueueNs", "sleepNs", "diskNs", "syscalls", "sentBytes",
      "receivedBytes", "pageFaults");

  private KernelFigures() {}
}
