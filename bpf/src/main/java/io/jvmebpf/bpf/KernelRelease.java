package io.jvmebpf.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running kernel's release ({@code /proc/sys/kernel/osrelease}), for features whose programs
 * need a newer kernel than the agent's minimum: a probe checks it first and says which it needs,
 * rather than failing in the verifier with a message only a kernel developer reads.
 */
public record KernelRelease(String text, int major, int minor) {
  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

  public static KernelRelease current() {
    try {
      return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
    } catch (IOException e) {
      return parse(System.getProperty("os.version", ""));
    }
  }

  /** An unparsable release reads as 0.0. */
  public static KernelRelease parse(String text) {
    Matcher m = VERSION.matcher(text);
    return m.find()
        ? new KernelRelease(text, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
        : new KernelRelease(text, 0, 0);
  }

  public boolean atLeast(int major, int minor) {
    return this.major > major || (this.major == major && this.minor >= minor);
  }

  /** Throws a sentence naming what needs the newer kernel, unless this one is at least major.minor. */
  public void require(int major, int minor, String why) {
    if (!atLeast(major, minor)) {
      throw new BpfException(0, "it needs Linux " + major + "." + minor + "+ (" + why + "); this kernel is " + text);
    }
  }
}
