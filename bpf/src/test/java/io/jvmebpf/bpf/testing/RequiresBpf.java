package io.jvmebpf.bpf.testing;

import io.jvmebpf.bpf.BpfObject;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that need the real kernel: loads a real BPF object first. Where that fails the
 * tests are skipped with the reason, except with {@code CI=true}, where they fail: CI must never
 * pass by skipping the tests that matter.
 */
public final class RequiresBpf implements BeforeAllCallback {
  private static volatile String unavailable;
  private static volatile boolean checked;

  @Override
  public void beforeAll(ExtensionContext context) {
    String reason = reasonUnavailable();
    MachineAssumptions.assume(reason == null, "BPF unavailable: " + reason);
  }

  /** Why BPF cannot be used here, or null when a real object loads. */
  public static synchronized String reasonUnavailable() {
    if (!checked) {
      checked = true;
      try (BpfObject probe = BpfObject.openBundled("threads")) {
        io.jvmebpf.bpf.ProcessScope.ofThisProcess().writeTo(probe.readOnlyData());
        probe.load();
      } catch (RuntimeException | LinkageError e) {
        unavailable = String.valueOf(e.getMessage());
      }
    }
    return unavailable;
  }
}
