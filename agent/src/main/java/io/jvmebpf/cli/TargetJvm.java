package io.jvmebpf.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code /proc} says of a process before anything is attached to it: whether it is a HotSpot
 * JVM, its Java version, whether the agent runs in it. Reading {@code /proc} asks nothing of the
 * JVM, so {@code list} disturbs no one.
 */
record TargetJvm(long pid, boolean hotSpot, String otherVm, int javaVersion, boolean agentRunning, String problem) {
  private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(1\\.)?(\\d+)", Pattern.MULTILINE);

  static TargetJvm inspect(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    if (!Files.isDirectory(proc)) {
      return new TargetJvm(pid, false, null, 0, false, "there is no process " + pid);
    }
    List<String> maps;
    try {
      maps = Files.readAllLines(proc.resolve("maps"));
    } catch (IOException e) {
      return new TargetJvm(pid, false, null, 0, false, "cannot read " + proc.resolve("maps") + " (" + e.getMessage()
          + "): run as the JVM's user or as root");
    }
    boolean hotSpot = maps.stream().anyMatch(l -> l.endsWith("/libjvm.so"));
    String other = maps.stream().filter(l -> l.contains("libj9vm")).findFirst().map(l -> "OpenJ9").orElse(null);
    return new TargetJvm(pid, hotSpot, other, javaVersion(proc), agentRunning(proc), null);
  }

  /** From the {@code release} file of the JDK whose {@code bin/java} the process runs; 0 if unknown. */
  private static int javaVersion(Path proc) {
    try {
      Path exe = proc.resolve("exe").toRealPath();
      for (Path home = exe.getParent(); home != null; home = home.getParent()) {
        Path release = home.resolve("release");
        if (Files.isRegularFile(release)) {
          Matcher m = VERSION.matcher(Files.readString(release));
          return m.find() ? Integer.parseInt(m.group(2)) : 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown: the attach step asks the JVM itself
    }
    return 0;
  }

  /** The agent's threads are named {@code jvm-ebpf-*}; the kernel keeps their first 15 characters. */
  static boolean agentRunning(Path proc) {
    try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
      return tasks.anyMatch(task -> comm(task).map(c -> c.startsWith("jvm-ebpf-")).orElse(false));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static Optional<String> comm(Path task) {
    try {
      return Optional.of(Files.readString(task.resolve("comm")).strip());
    } catch (NoSuchFileException e) {
      return Optional.empty(); // the thread ended meanwhile
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Why the agent cannot be attached to this process, or null when it may be tried. */
  String whyNot() {
    if (problem != null) {
      return problem;
    }
    if (!hotSpot) {
      return otherVm != null
          ? "process " + pid + " is an " + otherVm + " JVM: jvm-ebpf attaches to HotSpot JVMs (OpenJDK, Temurin,"
              + " Corretto, Oracle...) only; run the application on one"
          : "process " + pid + " is not a HotSpot JVM (no libjvm.so in its memory)";
    }
    if (javaVersion > 0 && javaVersion < 22) {
      return "process " + pid + " runs Java " + javaVersion + "; jvm-ebpf needs Java 22+ in the target (its FFM"
          + " API binds libbpf): run the application on JDK 22 or newer";
    }
    return null;
  }
}
