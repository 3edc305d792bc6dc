package io.jvmebpf.bootstrap;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreflightTest {
  private static long caps(int... capabilities) {
    long mask = 0;
    for (int c : capabilities) {
      mask |= 1L << c;
    }
    return mask;
  }

  @Test
  void bpfAndPerfmonOrSysAdminSuffice() {
    assertNull(Preflight.capabilityProblem(caps(Preflight.CAP_BPF, Preflight.CAP_PERFMON)));
    assertNull(Preflight.capabilityProblem(caps(Preflight.CAP_SYS_ADMIN)));
    assertNull(Preflight.capabilityProblem(-1L));
  }

  @Test
  void namesWhatIsMissingAndHowToGrantIt() {
    String none = Preflight.capabilityProblem(0);
    assertTrue(none.startsWith("the JVM lacks CAP_BPF and CAP_PERFMON;"), none);
    assertTrue(none.contains("setcap cap_bpf,cap_perfmon+ep"), none);
    assertTrue(Preflight.capabilityProblem(caps(Preflight.CAP_BPF)).startsWith("the JVM lacks CAP_PERFMON;"));
    assertTrue(Preflight.capabilityProblem(caps(Preflight.CAP_PERFMON)).startsWith("the JVM lacks CAP_BPF;"));
  }
}
