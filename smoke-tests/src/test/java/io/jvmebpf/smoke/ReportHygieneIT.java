package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the agent leaves for other users of the machine to see: report folders it creates are
 * 0700 and its files (report and log) 0600, child processes' arguments stay out with
 * {@code redact=argv}, and it opens no listening socket.
 */
@ExtendWith(RequiresBpf.class)
class ReportHygieneIT {
  @Test
  void foldersAre0700FilesAre0600AndArgumentsAreRedacted() throws Exception {
    Path logs = Files.createTempDirectory(AgentRun.workloadsJar().getParent(), "hygiene-log-");
    Path log = logs.resolve("agent.log");
    AgentRun.Result run = AgentRun.of(ChildProcessIT.WORKLOAD)
        .agentOptions("redact=argv,log=" + log).reportPath("nested/report").run();

    assertEquals(0, run.exitCode(), run.describe());
    assertEquals(List.of(), run.stderr(), "log= sends every line to the file");
    assertTrue(Files.readString(log).contains("report written to"), Files.readString(log));
    assertEquals("rw-------", mode(log));
    assertEquals("rwx------", mode(run.reportDir().getParent()), "a parent folder the agent created");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(run.reportDir())) {
      walk.forEach(files::add);
    }
    assertTrue(files.size() > 5, "report files: " + files);
    for (Path path : files) {
      assertEquals(Files.isDirectory(path) ? "rwx------" : "rw-------", mode(path), path.toString());
    }

    // ChildProcessWorkload runs /bin/sleep 0.2 three times and sh -c 'exit 3'.
    JsonNode processes = Summary.required(run.summary().root(), "processes");
    assertEquals(4, processes.size(), processes.toString());
    for (JsonNode process : processes) {
      JsonNode argv = Summary.required(process, "argv");
      assertEquals(2, argv.size(), process.toString());
      assertTrue(argv.get(0).asText().endsWith("sleep") || argv.get(0).asText().endsWith("sh"), process.toString());
      assertEquals("[arguments redacted]", argv.get(1).asText(), process.toString());
    }
    for (Path path : files) {
      if (Files.isRegularFile(path) && !path.toString().endsWith(".gz")) {
        assertFalse(Files.readString(path, StandardCharsets.ISO_8859_1).contains("exit 3"), path + " holds an argument");
      }
    }
  }

  @Test
  void theAgentOpensNoListeningSocket() throws Exception {
    // The check finds a listening socket where there is one: this JVM's own.
    try (ServerSocket own = new ServerSocket(0)) {
      assertEquals(1, listeningSockets(ProcessHandle.current().pid()).size());
    }
    Path progress = Files.createTempFile(AgentRun.workloadsJar().getParent(), "hygiene-progress-", ".txt");
    Process jvm = AgentRun.writer(-1).agentOptions("progress=" + progress).start();
    try {
      AgentRun.untilStarted(jvm, progress);
      assertEquals(Set.of(), listeningSockets(jvm.pid()), "listening sockets of the JVM under the agent");
    } finally {
      jvm.destroyForcibly().waitFor();
      Files.deleteIfExists(progress);
    }
  }

  /**
   * The process's sockets that listen, from the kernel's tables of its network namespace: TCP in
   * state LISTEN (0A), UDP bound at all (it takes datagrams from anyone), UNIX with
   * __SO_ACCEPTCON (flags 00010000). Each as {@code "tcp6 inode 1234"}.
   */
  static Set<String> listeningSockets(long pid) throws IOException {
    Set<String> inodes = new TreeSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    Set<String> listening = new TreeSet<>();
    Path net = Path.of("/proc", Long.toString(pid), "net");
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      for (String row : Files.readAllLines(net.resolve(table)).stream().skip(1).toList()) {
        String[] f = row.trim().split("\\s+"); // sl local rem st ... uid timeout inode
        boolean listens = table.startsWith("udp") || f[3].equals("0A");
        if (listens && inodes.contains(f[9])) {
          listening.add(table + " inode " + f[9]);
        }
      }
    }
    for (String row : Files.readAllLines(net.resolve("unix")).stream().skip(1).toList()) {
      String[] f = row.trim().split("\\s+"); // Num RefCount Protocol Flags Type St Inode Path
      if ((Integer.parseInt(f[3], 16) & 0x10000) != 0 && inodes.contains(f[6])) {
        listening.add("unix inode " + f[6]);
      }
    }
    return listening;
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
