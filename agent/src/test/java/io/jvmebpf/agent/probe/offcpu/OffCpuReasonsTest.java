package io.jvmebpf.agent.probe.offcpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffCpuReasonsTest {
  private static final int SLEEPING = 1; // TASK_INTERRUPTIBLE

  @Test
  void theJvmsWordComesFirst() {
    assertEquals("monitor", OffCpuReasons.of(SLEEPING, "futex", kernel("__x64_sys_futex", "schedule"), "monitor"));
  }

  @Test
  void otherwiseTheKernelStackTells() {
    assertEquals("futex", OffCpuReasons.of(SLEEPING, "futex", kernel("do_syscall_64", "__x64_sys_futex", "futex_wait", "schedule"), null));
    assertEquals("io", OffCpuReasons.of(SLEEPING, "read", kernel("do_syscall_64", "ksys_read", "vfs_read", "anon_pipe_read", "schedule"), null));
    assertEquals("io", OffCpuReasons.of(SLEEPING, null, kernel("do_syscall_64", "__x64_sys_epoll_wait", "do_epoll_wait", "schedule"), null));
    assertEquals("sleep", OffCpuReasons.of(SLEEPING, null, kernel("do_syscall_64", "__x64_sys_clock_nanosleep", "schedule"), null));
    assertEquals("page-fault", OffCpuReasons.of(2, null, kernel("asm_exc_page_fault", "exc_page_fault", "do_user_addr_fault", "handle_mm_fault", "io_schedule"), null));
    assertEquals("other", OffCpuReasons.of(SLEEPING, "wait4", kernel("do_syscall_64", "__x64_sys_wait4", "schedule"), null));
  }

  @Test
  void aShortBlockIsToldByItsSyscall() {
    assertEquals("futex", OffCpuReasons.of(SLEEPING, "futex", List.of(), null));
    assertEquals("io", OffCpuReasons.of(SLEEPING, "recvfrom", List.of(), null));
    assertEquals("sleep", OffCpuReasons.of(SLEEPING, "clock_nanosleep", List.of(), null));
    assertEquals("page-fault", OffCpuReasons.of(2, null, List.of(), null), "blocked outside a syscall");
  }

  @Test
  void blockedSinceBeforeTheStartIsUnknownUnlessItsStackTells() {
    assertEquals("unknown", OffCpuReasons.of(OffCpuLayouts.STATE_UNKNOWN, null, List.of(), null));
    assertEquals("futex", OffCpuReasons.of(OffCpuLayouts.STATE_UNKNOWN, null, kernel("__x64_sys_futex"), null));
  }

  private static List<Frame> kernel(String... rootFirst) {
    return Arrays.stream(rootFirst).map(name -> new Frame(name, FrameKind.KERNEL)).toList();
  }
}
