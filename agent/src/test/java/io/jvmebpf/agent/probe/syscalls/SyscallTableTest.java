package io.jvmebpf.agent.probe.syscalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SyscallTableTest {
  @Test
  void x86_64NumbersAreTheKernels() {
    SyscallTable x86 = SyscallTable.forArch("amd64");
    assertEquals("read", x86.name(0));
    assertEquals("write", x86.name(1));
    assertEquals("futex", x86.name(202));
    assertEquals(OptionalInt.of(257), x86.number("openat"));
  }

  @Test
  void aarch64UsesTheGenericTable() {
    SyscallTable arm = SyscallTable.forArch("aarch64");
    assertEquals("write", arm.name(64));
    assertEquals(OptionalInt.of(56), arm.number("openat"));
    assertEquals("newfstatat", arm.name(79));
  }

  @Test
  void unknownNumbersKeepTheirNumber() {
    SyscallTable x86 = SyscallTable.forArch("x86_64");
    assertEquals("syscall_999", x86.name(999));
    assertEquals(OptionalInt.of(999), x86.number("syscall_999"));
    assertTrue(x86.number("wrte").isEmpty());
  }
}
