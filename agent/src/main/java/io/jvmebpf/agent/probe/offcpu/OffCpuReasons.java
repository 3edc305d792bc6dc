package io.jvmebpf.agent.probe.offcpu;

import io.jvmebpf.agent.profile.Frame;
import java.util.List;
import java.util.Set;

/**
 * Why a thread was off CPU, by the names {@code summary.json} uses: what the JVM recorded when it
 * did (sleep, park, monitor, wait, io), else what the kernel stack shows: a page fault, or the
 * syscall the thread blocked in. The JVM's sleeps, parks and monitors all block in {@code futex},
 * so a short one the JVM did not record is a {@code futex}.
 */
final class OffCpuReasons {
  static final String UNKNOWN = "unknown";
  static final String PAGE_FAULT = "page-fault";
  static final String FUTEX = "futex";
  static final String SLEEP = "sleep";
  static final String IO = "io";
  static final String OTHER = "other";

  /** Syscalls that wait for a file, a socket, a pipe or a device. */
  private static final Set<String> IO_SYSCALLS = Set.of(
      "read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev", "preadv2",
      "pwritev2", "recvfrom", "recvmsg", "recvmmsg", "sendto", "sendmsg", "sendmmsg", "accept",
      "accept4", "connect", "poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait",
      "epoll_pwait2", "fsync", "fdatasync", "sync_file_range", "openat", "openat2", "sendfile64",
      "splice", "io_uring_enter", "io_getevents", "msync");
  /**
   * How the kernel names a syscall's entry function, per architecture, and the functions it
   * often calls straight from the entry (ksys_read) when the compiler folded the entry away.
   */
  private static final List<String> SYSCALL_PREFIXES =
      List.of("__x64_sys_", "__arm64_sys_", "__ia32_sys_", "__do_sys_", "__se_sys_", "ksys_", "__sys_", "do_sys_");
  private static final Set<String> PAGE_FAULT_FRAMES = Set.of("exc_page_fault", "do_user_addr_fault", "handle_mm_fault", "do_page_fault", "do_mem_abort");

  private OffCpuReasons() {}

  /**
   * @param state the task state at switch-out, or {@link OffCpuLayouts#STATE_UNKNOWN}
   * @param syscall the syscall it blocked in, as the kernel saw it at switch-out, or null
   * @param kernel the kernel frames where it slept, root first; empty for a short block
   * @param javaReason what the JVM recorded, or null
   */
  static String of(int state, String syscall, List<Frame> kernel, String javaReason) {
    if (javaReason != null) {
      return javaReason;
    }
    String fromStack = null;
    for (Frame frame : kernel) {
      if (PAGE_FAULT_FRAMES.contains(frame.name())) {
        return PAGE_FAULT;
      }
      if (fromStack == null) {
        fromStack = syscall(frame.name());
      }
    }
    if (fromStack != null) {
      syscall = fromStack;
    } else if (syscall == null) {
      // Blocked outside a syscall: in a page fault, the one way a thread blocks from user code.
      return state == OffCpuLayouts.STATE_UNKNOWN ? UNKNOWN : kernel.isEmpty() ? PAGE_FAULT : OTHER;
    }
    if (syscall.startsWith("futex")) {
      return FUTEX;
    }
    if (syscall.equals("nanosleep") || syscall.equals("clock_nanosleep")) {
      return SLEEP;
    }
    return IO_SYSCALLS.contains(syscall) ? IO : OTHER;
  }

  /** The syscall whose entry a kernel stack holds, or null. */
  static String syscall(List<Frame> kernel) {
    for (Frame frame : kernel) {
      String syscall = syscall(frame.name());
      if (syscall != null) {
        return syscall;
      }
    }
    return null;
  }

  /** The syscall a kernel frame is the entry of, or null. */
  static String syscall(String frame) {
    for (String prefix : SYSCALL_PREFIXES) {
      if (frame.startsWith(prefix)) {
        return frame.substring(prefix.length());
      }
    }
    return null;
  }
}
