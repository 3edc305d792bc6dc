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
 * (generation 0), the one open at the report (the current generation), and those a resume began
 * (see {@link #atResume}).
 */
final class FdNames {
  private static final Path FD_DIR = Path.of("/proc/self/fd");
  /** Lives begun by resumes that are named: bounded like the kernel's fd map, 16,384 a pause. */
  private static final int MAX_RESUMED = 65_536;

  private final Map<Integer, String> atStart;
  private final Map<Long, String> resumed = new HashMap<>(); // (fd << 32 | generation) -> name
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
  synchronized String name(int fd, int generation, int currentGeneration) {
    String name = generation == 0 ? atStart.get(fd) : resumed.get(lifeOf(fd, generation));
    if (name == null && generation == currentGeneration) {
      if (atReport == null) {
        atReport = read();
      }
      name = atReport.get(fd);
    }
    return name != null ? name : "[closed fd " + fd + "]";
  }

  /**
   * Names the life of {@code fd} that a resume begins ({@code generation}), while the file the
   * kernel saw opened is still open: once closed, /proc would not name it at the report.
   */
  synchronized void atResume(int fd, int generation) {
    if (resumed.size() < MAX_RESUMED) {
      try {
        resumed.put(lifeOf(fd, generation), Files.readSymbolicLink(FD_DIR.resolve(String.valueOf(fd))).toString());
      } catch (IOException e) {
        // closed during the pause: its new life, if any, is named at the report
      }
    }
  }

  private static long lifeOf(int fd, int generation) {
    return (long) fd << 32 | (generation & 0xFFFF_FFFFL);
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
