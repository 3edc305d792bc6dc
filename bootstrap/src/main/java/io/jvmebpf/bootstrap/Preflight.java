package io.jvmebpf.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What BPF needs from the machine, checked before anything is loaded: Linux, kernel BTF, and
 * CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN). Each problem is one sentence naming the cause and the
 * fix. libbpf itself is checked by the core when it binds the library.
 */
final class Preflight {
  static final int CAP_SYS_ADMIN = 21;
  static final int CAP_PERFMON = 38;
  static final int CAP_BPF = 39;
  private static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
  private static final Path STATUS = Path.of("/proc/self/status");

  private Preflight() {}

  static List<String> run() {
    List<String> problems = new ArrayList<>();
    if (!System.getProperty("os.name", "").equals("Linux")) {
      problems.add("this OS is " + System.getProperty("os.name") + "; eBPF needs Linux");
      return problems;
    }
    if (!Files.isReadable(BTF)) {
      problems.add("the kernel exposes no BTF (" + BTF + " is missing); use a kernel built with"
          + " CONFIG_DEBUG_INFO_BTF=y (the default on current distributions)");
    }
    String capabilityProblem = capabilityProblem(effectiveCapabilities());
    if (capabilityProblem != null) {
      problems.add(capabilityProblem);
    }
    return problems;
  }

  /** The missing capabilities as a sentence, or null when BPF is allowed. */
  static String capabilityProblem(long effective) {
    boolean admin = has(effective, CAP_SYS_ADMIN);
    boolean bpf = has(effective, CAP_BPF) || admin;
    boolean perfmon = has(effective, CAP_PERFMON) || admin;
    if (bpf && perfmon) {
      return null;
    }
    String missing = !bpf && !perfmon ? "CAP_BPF and CAP_PERFMON" : !bpf ? "CAP_BPF" : "CAP_PERFMON";
    return "the JVM lacks " + missing + "; run it as root or grant them, e.g."
        + " setcap cap_bpf,cap_perfmon+ep on the java binary, or in Kubernetes"
        + " securityContext.capabilities.add: [BPF, PERFMON]";
  }

  static long effectiveCapabilities() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("CapEff:")) {
          return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Unknown: let the kernel decide at load time, where EPERM is reported with the same advice.
      return -1L;
    }
    return -1L;
  }

  private static boolean has(long capabilities, int capability) {
    return (capabilities & (1L << capability)) != 0;
  }
}
