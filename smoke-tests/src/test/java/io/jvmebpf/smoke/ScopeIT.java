package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scope: a noisy neighbour on the same machine (another JVM, no agent) makes syscalls, writes a
 * file, makes loopback connections, mallocs and starts processes all through a run of the demo
 * workload under the agent. None of its pid, tids, path, port or names may appear in any file of
 * the report, while the report does hold the demo's own threads, files and connections. Every
 * feature is on, native allocation tracing too: its uprobes sit in the C library every process maps.
 */
@ExtendWith(RequiresBpf.class)
class ScopeIT {
  /** Every name the neighbour uses holds it: thread names, its file, its children's argv. */
  private static final String MARK = "neighbour";
  private static final Pattern THREAD_ROOT = Pattern.compile("tid=(\\d+)\\]");

  @Test
  void nothingOfANoisyNeighbourIsInAnyOutput() throws Exception {
    Path file = Files.createTempFile(AgentRun.workloadsJar().getParent(), MARK + "-file-", ".dat");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    AgentRun.Result run;
    Set<Long> neighbourIds = new HashSet<>();
    try (NoiseProcess neighbour = NoiseProcess.neighbour(file, port)) {
      run = AgentRun.of("io.jvmebpf.workloads.DemoWorkload").agentOptions("nativemem=on").run();
      neighbourIds.addAll(neighbour.tids());
      neighbourIds.add(neighbour.pid());
      assertEquals(512, Files.size(file), "the neighbour did not write its file");
    } finally {
      Files.deleteIfExists(file);
    }

    assertEquals(0, run.exitCode(), run.describe());
    assertReportLine(run);
    assertOnlyAgentLines(run);
    Summary summary = run.summary();
    assertTrue(summary.root().at("/memory/native/mallocCalls").asLong() > 0, "native allocations not traced");
    // What the demo did is there: the checks below look at a report that holds data of each kind.
    assertEquals(run.pid(), summary.pid());
    assertFalse(summary.threadsNamed("fetcher").isEmpty(), "no fetcher thread\n" + run.describe());
    assertTrue(Summary.required(summary.root(), "files").size() > 0, "no files");
    assertTrue(Summary.required(summary.root(), "connections").size() > 0, "no connections");

    for (JsonNode thread : summary.threads()) {
      assertFalse(neighbourIds.contains(Summary.tid(thread)), "the neighbour's thread in the report: " + thread);
    }
    for (JsonNode process : Summary.required(summary.root(), "processes")) {
      assertFalse(neighbourIds.contains(process.path("pid").asLong()), "the neighbour in processes: " + process);
    }
    for (JsonNode connection : Summary.required(summary.root(), "connections")) {
      for (String end : List.of("local", "remote")) {
        assertFalse(connection.path(end).path("port").asInt() == port, "the neighbour's connection: " + connection);
      }
    }
    List<Path> outputs = outputs(run.reportDir());
    assertTrue(outputs.stream().anyMatch(p -> p.toString().endsWith(".collapsed")), "no profile: " + outputs);
    for (Path output : outputs) {
      String text = text(output);
      assertFalse(text.contains(MARK), output + " names the neighbour ('" + MARK + "')");
      assertFalse(text.contains(file.getFileName().toString()), output + " holds the neighbour's file");
      if (output.toString().endsWith(".collapsed")) {
        Matcher root = THREAD_ROOT.matcher(text);
        while (root.find()) {
          assertFalse(neighbourIds.contains(Long.parseLong(root.group(1))), output + ": the neighbour's " + root.group());
        }
      }
    }
  }

  /** The file's bytes as text; pprof's gzip undone (its strings are plain UTF-8 within). */
  private static String text(Path file) throws Exception {
    try (InputStream in = file.toString().endsWith(".gz")
        ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Every file of the report, and the agent's lines: each is something a user reads. */
  private static List<Path> outputs(Path reportDir) throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(reportDir)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    files.add(reportDir.resolveSibling("stderr.txt"));
    return files;
  }
}
