package io.jvmebpf.agent.report.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileFilesTest {
  @TempDir Path folder;

  @Test
  void writesTheThreeFilesUnderTheBaseName() throws Exception {
    Path report = folder.resolve("report");
    List<Path> written = ProfileFiles.write(TestProfiles.cpu(), ProfileKind.CPU, ProfileSpan.UNKNOWN, report, "cpu");

    List<Path> expected = List.of(report.resolve("cpu.collapsed"), report.resolve("cpu.pb.gz"), report.resolve("cpu.html"));
    assertEquals(expected, written);
    try (Stream<Path> files = Files.list(report)) {
      assertEquals(expected.stream().sorted().toList(), files.sorted().toList()); // no .partial left
    }
  }
}
