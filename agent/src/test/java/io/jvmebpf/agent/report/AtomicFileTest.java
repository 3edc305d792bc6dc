package io.jvmebpf.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path temp;

  @Test
  void foldersItCreatesAre0700AndFiles0600() throws Exception {
    Path file = AtomicFile.write(temp.resolve("a/b/summary.json"), out -> out.write('x'));
    assertEquals("rw-------", mode(file));
    assertEquals("rwx------", mode(temp.resolve("a/b")));
    assertEquals("rwx------", mode(temp.resolve("a")));
  }

  @Test
  void anExistingFolderKeepsItsMode() throws Exception {
    Path folder = Files.createDirectory(temp.resolve("shared"));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    AtomicFile.write(folder.resolve("f"), out -> out.write('x'));
    assertEquals("rwxr-xr-x", mode(folder));
  }

  @Test
  void aFailedWriteLeavesNothing() throws Exception {
    assertThrows(IOException.class, () -> AtomicFile.write(temp.resolve("f"), out -> {
      out.write('x');
      throw new IOException("No space left on device");
    }));
    try (Stream<Path> left = Files.list(temp)) {
      assertEquals(List.of(), left.toList());
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
