package io.jvmebpf.agent.probe.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Names of fds the kernel never saw opened (opened before the agent attached, or made by socket,
 * pipe, accept, dup...), from {@code /proc/self/fd}: read once when the probe starts, so that a
 * file open then and closed before the report keeps its name, and again at the report for fds
 * made since. The kernel counts each fd number's closes; a figure's generation (the closes before
 * its call) says which life of the number it belongs to: /proc names the one open at the start
 * (generation 0) and the one open at the report (the current generation) only.
 */
final class FdNames {
  private static final Path FD_DIR = Path.of("/proc/self/fd");

  private final Map<Integer, String> atStart;
  private Map<Integer, String> atReport;

  private FdNames(Map<Integer, String> atStart) {
    this.atStart = atStart;
  }

  static FdNames readAtStart() {
    return new FdNames(read());
  }

  /**
   * The target of {@code fd} in its life {@code generation} as {@code readlink} shows it, or
   * {@code [closed fd N]} when that life ended before the report and had not begun at the start.
   *
   * @param currentGeneration the kernel's count of the fd's closes now
   */
  String name(int fd, int generation, int currentGeneration) {
    String name = generation == 0 ? atStart.get(fd) : null;
    if (name == null && generation == currentGeneration) {
      if (atReport == null) {
        atReport = read();
      }
      name = atReport.get(fd);
    }
    return name != null ? name : "[closed fd " + fd + "]";
  }

  private static Map<Integer, String> read() {
    Map<Integer, String> names = new HashMap<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD_DIR)) {
      for (Path fd : fds) {
        try {
          names.put(Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
        } catch (IOException | NumberFormatException e) {
          // closed meanwhile (the directory stream's own fd among them)
        }
      }
    } catch (IOException e) {
      // no /proc: every such fd is named by its number
    }
    return names;
  }
}
