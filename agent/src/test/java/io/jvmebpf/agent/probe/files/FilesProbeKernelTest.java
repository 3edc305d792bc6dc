package io.jvmebpf.agent.probe.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvmebpf.agent.config.FilesOptions;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import io.jvmebpf.agent.report.FileSummary;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** files.bpf.c in the real kernel, through the probe, on files this test writes. */
@ExtendWith(RequiresBpf.class)
class FilesProbeKernelTest {
  /**
   * A close during a pause is not seen (closes are seen in sys_enter, detached then): the resume
   * forgets the fds seen opened, so that a file opened in the pause on the same fd number is a
   * file of its own, not more bytes of the closed one.
   */
  @Test
  void anFdClosedAndReusedDuringAPauseIsAFileOfItsOwn(@TempDir Path dir) throws Exception {
    FilesProbe probe = new FilesProbe(SyscallTable.forThisMachine(), FilesOptions.defaults());
    ReportBuilder report = new ReportBuilder();
    Path first = null;
    Path second = null;
    try (ThisJvm jvm = ThisJvm.context(new ThreadRegistry()); probe) {
      probe.start(jvm.context());
      // The kernel gives the lowest free fd, but the JVM's other threads open and close files
      // too: tried until the second file gets the first's number.
      for (int i = 0; i < 20 && second == null; i++) {
        Path a = dir.toRealPath().resolve("first-" + i);
        Path b = dir.toRealPath().resolve("second-" + i);
        FileChannel first1 = FileChannel.open(a, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        int firstFd = fdOf(a);
        first1.write(ByteBuffer.allocate(100));
        probe.pause();
        first1.close();
        FileChannel second1 = FileChannel.open(b, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        boolean reused = fdOf(b) == firstFd;
        probe.resume();
        if (reused) {
          second1.write(ByteBuffer.allocate(200));
          first = a;
          second = b;
        }
        second1.close();
      }
      probe.contribute(report);
    }
    assumeTrue(second != null, "no file opened during a pause got the fd of one closed in it");
    List<FileSummary> files = report.files();
    assertEquals(100, written(files, first.toString()), files.toString());
    assertEquals(200, written(files, second.toString()), files.toString());
  }

  private static long written(List<FileSummary> files, String path) {
    return files.stream().filter(f -> f.path().equals(path)).mapToLong(FileSummary::bytesWritten).sum();
  }

  /** The fd of this process open on {@code file}, from /proc/self/fd. */
  private static int fdOf(Path file) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).equals(file)) {
            return Integer.parseInt(fd.getFileName().toString());
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    throw new AssertionError("no fd open on " + file);
  }
}
