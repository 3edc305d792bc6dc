package io.jvmebpf.bpf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of the machine (BPF, privileges, a tool as ground truth, a file): without it
 * the test is skipped with the reason, except with {@code CI=true}, where it fails instead: CI
 * must never pass by skipping.
 */
public final class MachineAssumptions {
  private MachineAssumptions() {}

  public static void assume(boolean holds, String reason) {
    if (!holds) {
      skip(reason);
    }
  }

  public static void skip(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("required with CI=true: " + reason);
    }
    Assumptions.abort("skipping: " + reason);
  }
}
