package io.jvmebpf.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelReleaseTest {
  @Test
  void readsMajorAndMinorOfDistributionReleases() {
    KernelRelease debian = KernelRelease.parse("6.1.0-27-cloud-amd64");
    assertEquals(6, debian.major());
    assertEquals(1, debian.minor());
    assertTrue(debian.atLeast(5, 18));
    assertTrue(debian.atLeast(6, 1));
    assertFalse(debian.atLeast(6, 2));
    assertFalse(KernelRelease.parse("5.15.0-122-generic").atLeast(5, 18));
    assertFalse(KernelRelease.parse("unknown").atLeast(1, 0));
  }

  @Test
  void requireSaysWhatNeedsTheNewerKernel() {
    KernelRelease.parse("6.3.0").require(6, 3, "sock_send_length");
    BpfException e = assertThrows(BpfException.class,
        () -> KernelRelease.parse("6.1.0-27-cloud-amd64").require(6, 3, "sock_send_length"));
    assertEquals("it needs Linux 6.3+ (sock_send_length); this kernel is 6.1.0-27-cloud-amd64", e.getMessage());
  }
}
