package io.jvmebpf.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed BPF objects are what their committed sources compile to: always checked through
 * the hashes in {@code objects.lock}, and by a real rebuild where the lock's clang is installed.
 */
class BpfObjectsCurrentTest {
  private static final Path SOURCES = Path.of("src/main/bpf");
  private static final Path LOCK = SOURCES.resolve("objects.lock");

  @Test
  void everyProgramHasALockEntryMatchingItsSourcesAndObject() throws Exception {
    List<String> entries = lockEntries();
    List<String> programs;
    try (Stream<Path> files = Files.list(SOURCES)) {
      programs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bpf.c"))
          .map(n -> n.substring(0, n.length() - ".bpf.c".length())).sorted().toList();
    }
    assertFalse(programs.isEmpty());
    assertEquals(programs, entries.stream().map(e -> e.split(" ")[0]).toList(),
        "objects.lock lists other programs than src/main/bpf has: run bpf/build-bpf.sh");
    for (String entry : entries) {
      String[] cols = entry.split(" ");
      assertEquals(cols[1], sourceHash(cols[0]),
          cols[0] + ".bpf.c or a header changed since the object was built: run bpf/build-bpf.sh and commit");
      assertEquals(cols[2], sha256(bundledObject(cols[0])),
          cols[0] + ".bpf.o is not the object the lock records: run bpf/build-bpf.sh and commit");
    }
  }

  @Test
  void rebuildingWithTheLockedClangGivesTheSameBytes() throws Exception {
    String lockedClang = Files.readAllLines(LOCK).stream().filter(l -> l.startsWith("# clang: "))
        .findFirst().orElseThrow().substring("# clang: ".length());
    String installed = clangVersion();
    org.junit.jupiter.api.Assumptions.assumeTrue(lockedClang.equals(installed),
        "needs " + lockedClang + " to rebuild byte for byte; found: " + installed);
    Process check = new ProcessBuilder("bash", "build-bpf.sh", "--check").redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    assertEquals(0, check.waitFor(), output);
  }

  private static List<String> lockEntries() throws IOException {
    return Files.readAllLines(LOCK).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
  }

  /** As build-bpf.sh: the program, then every header in byte order of their names. */
  private static String sourceHash(String name) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(Files.readAllBytes(SOURCES.resolve(name + ".bpf.c")));
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path header : files.filter(p -> p.toString().endsWith(".h")).sorted().toList()) {
        bytes.write(Files.readAllBytes(header));
      }
    }
    return sha256(bytes.toByteArray());
  }

  private static byte[] bundledObject(String name) throws IOException {
    try (InputStream in = BpfObject.class.getResourceAsStream("/io/jvmebpf/bpf/objects/" + name + ".bpf.o")) {
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String clangVersion() {
    try {
      Process p = new ProcessBuilder("clang", "--version").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      return p.waitFor() == 0 ? first : "none";
    } catch (IOException | InterruptedException e) {
      return "none (" + e.getMessage() + ")";
    }
  }
}
