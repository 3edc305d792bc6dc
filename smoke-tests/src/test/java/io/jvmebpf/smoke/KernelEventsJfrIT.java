package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertExactWrites;
import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.openjdk.jmc.common.item.IAccessorKey;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.item.IType;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kernel's figures inside the application's own recording: a JVM started with
 * {@code -XX:StartFlightRecording} and the agent runs {@code KernelEventsWorkload} (a writer of
 * exactly N writes, a 300 ms sleeper, a child exiting 3, a loopback connection of known bytes),
 * and the recording it dumps at exit holds the agent's {@code jvmebpf.*} events with those
 * figures, read back with {@link RecordingFile}, the JDK's own {@code jfr} tool and JDK Mission
 * Control's parser. A second
 * run with {@code jfr.events=off} holds none of them.
 */
@ExtendWith(RequiresBpf.class)
class KernelEventsJfrIT {
  private static final int WRITES = 3_000;
  private static final String WORKLOAD = "io.jvmebpf.workloads.KernelEventsWorkload";

  private static AgentRun.Result run;
  private static Path recording;
  private static List<RecordedEvent> events;

  @BeforeAll
  static void runWithARecording() throws Exception {
    Path jfrDir = Files.createDirectories(AgentRun.workloadsJar().getParent().resolve("kernel-events-jfr-it"));
    recording = jfrDir.resolve("recording.jfr");
    Files.deleteIfExists(recording);
    run = AgentRun.of(WORKLOAD, Integer.toString(WRITES))
        .jvmFlags(startFlightRecording(recording))
        .run();
    assertTrue(Files.isRegularFile(recording), "no recording dumped; " + run.describe());
    events = RecordingFile.readAllEvents(recording).stream()
        .filter(e -> e.getEventType().getName().startsWith("jvmebpf."))
        .toList();
  }

  /** default.jfc, which names none of the agent's events, and the periodic summaries every second. */
  private static String startFlightRecording(Path file) {
    return "-XX:StartFlightRecording:filename=" + file + ",+jvmebpf.Syscall#period=1s,+jvmebpf.NativeMemory#period=1s";
  }

  @Test
  void theWorkloadRanAndTheReportCountsTheWrites() throws IOException {
    assertTrue(run.stdout().contains("done"), run.describe());
    assertExactWrites(run.summary(), WRITES);
    assertEquals("on", run.summary().feature("jfr.events"));
    assertOnlyAgentLines(run);
  }

  @Test
  void syscallEventsHoldTheWritersExactCount() throws IOException {
    List<RecordedEvent> writes = of("jvmebpf.Syscall",
        e -> e.getString("threadName").equals("writer") && e.getString("syscall").equals("write"));
    assertTrue(writes.size() >= 2, "periodic events, a period of 1 s over 4 s: " + writes);
    // Each period repeats the totals so far: the last holds them all.
    RecordedEvent last = writes.stream().max((a, b) -> a.getStartTime().compareTo(b.getStartTime())).orElseThrow();
    assertEquals(WRITES, last.getLong("calls"), last.toString());
    assertEquals(0, last.getLong("errors"), last.toString());
    assertTrue(last.getDuration("totalTime").compareTo(last.getDuration("maxTime")) >= 0, last.toString());
    long tid = Summary.tid(run.summary().onlyThread("writer"));
    assertEquals(tid, last.getInt("tid"), last.toString());
    assertTrue(last.getLong("javaThreadId") > 0, last.toString());
  }

  /**
   * The writer's page faults (faults=on, the default) in periodic native-memory events: each
   * repeats the kernel's count so far, so none exceeds the report's, taken last.
   */
  @Test
  void nativeMemoryEventsHoldTheWritersPageFaults() throws IOException {
    List<RecordedEvent> writer = of("jvmebpf.NativeMemory", e -> e.getString("threadName").equals("writer"));
    assertTrue(writer.size() >= 2, "periodic events, a period of 1 s over 4 s: " + writer);
    long reported = run.summary().onlyThread("writer").at("/pageFaults/faults").asLong();
    for (RecordedEvent event : writer) {
      assertTrue(event.getLong("pageFaults") > 0 && event.getLong("pageFaults") <= reported,
          event + " against the report's " + reported);
    }
  }

  @Test
  void theSleepIsAnOffCpuIntervalWithItsReasonAndStacks() {
    List<RecordedEvent> sleeps = of("jvmebpf.OffCpu",
        e -> e.getString("threadName").equals("sleeper") && e.getString("reason").equals("sleep"));
    assertEquals(1, sleeps.size(), sleeps.toString());
    RecordedEvent sleep = sleeps.get(0);
    Duration off = sleep.getDuration("offCpuTime");
    assertTrue(off.toMillis() >= 300 && off.toMillis() < 360, "off CPU " + off + ": " + sleep);
    // Where it slept: the entry of the syscall it blocked in (futex on JDK 25, nanosleep before).
    assertTrue(sleep.getString("kernelStack").contains("sys_" + sleep.getString("syscall")), sleep.toString());
    assertTrue(sleep.getString("javaStack").startsWith("java.lang.Thread.sleep"), sleep.toString());
    assertTrue(sleep.getString("javaStack").contains("KernelEventsWorkload.sleep"), sleep.toString());
  }

  @Test
  void theChildProcessIsAnEventWithItsExitCode() {
    List<RecordedEvent> children = of("jvmebpf.ChildProcess", e -> e.getString("commandLine").equals("sh -c exit 3"));
    assertEquals(1, children.size(), children.toString());
    RecordedEvent child = children.get(0);
    assertEquals(3, child.getInt("exitCode"), child.toString());
    assertEquals(0, child.getInt("signal"), child.toString());
    assertEquals("spawner", child.getString("threadName"), child.toString());
  }

  @Test
  void theConnectionIsAnEventFromEachEndWithItsBytes() {
    RecordedEvent client = only("jvmebpf.Connection", e -> e.getString("threadName").equals("client"));
    assertEquals("connect", client.getString("origin"), client.toString());
    assertEquals(100_000, client.getLong("bytesSent"), client.toString());
    assertEquals(1_000, client.getLong("bytesReceived"), client.toString());
    assertEquals("closed", client.getString("state"), client.toString());
    RecordedEvent server = only("jvmebpf.Connection", e -> e.getString("threadName").equals("server"));
    assertEquals("accept", server.getString("origin"), server.toString());
    assertEquals(100_000, server.getLong("bytesReceived"), server.toString());
    assertEquals(1_000, server.getLong("bytesSent"), server.toString());
    assertEquals(client.getString("local"), server.getString("remote"));
  }

  @Test
  void everyTypeIsUnderOneCategoryWithItsLabels() throws IOException {
    try (RecordingFile file = new RecordingFile(recording)) {
      List<String> names = new ArrayList<>();
      for (EventType type : file.readEventTypes()) {
        if (type.getName().startsWith("jvmebpf.")) {
          names.add(type.getName());
          assertEquals("jvm-ebpf", type.getCategoryNames().get(0), type.getName());
          assertTrue(type.getLabel() != null && type.getDescription() != null, type.getName());
        }
      }
      assertEquals(List.of("jvmebpf.ChildProcess", "jvmebpf.Connection", "jvmebpf.NativeMemory", "jvmebpf.OffCpu",
          "jvmebpf.Syscall"),
          names.stream().sorted().toList());
    }
  }

  /** The JDK's own reader, as JMC-compatible tools read the file; its output kept for a person. */
  @Test
  void theJdksJfrToolPrintsThem() throws Exception {
    String summary = jfrTool("summary", recording.toString());
    String print = jfrTool("print", "--events", "jvmebpf.*", recording.toString());
    Files.writeString(recording.resolveSibling("jfr-summary.txt"), summary);
    Files.writeString(recording.resolveSibling("jfr-print.txt"), print);
    for (String type : List.of("jvmebpf.Syscall", "jvmebpf.OffCpu", "jvmebpf.Connection", "jvmebpf.ChildProcess")) {
      assertTrue(summary.contains(type), summary);
      assertTrue(print.contains(type + " {"), type);
    }
    assertTrue(print.contains("threadName = \"writer\""), "jfr print");
    assertTrue(print.contains("commandLine = \"sh -c exit 3\""), "jfr print");
  }

  /**
   * JDK Mission Control's own parser (its core libraries, what its event browser shows) reads every
   * event the JDK's reader does, with the types' labels and fields.
   */
  @Test
  void missionControlsParserReadsThem() throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    long writerCalls = -1;
    for (IItemIterable items : JfrLoaderToolkit.loadEvents(recording.toFile())) {
      IType<IItem> type = items.getType();
      if (!type.getIdentifier().startsWith("jvmebpf.")) {
        continue;
      }
      counts.merge(type.getIdentifier(), items.getItemCount(), Long::sum);
      if (type.getIdentifier().equals("jvmebpf.Syscall")) {
        assertEquals("Syscalls", type.getName());
        IMemberAccessor<?, IItem> thread = accessor(type, "threadName");
        IMemberAccessor<?, IItem> syscall = accessor(type, "syscall");
        IMemberAccessor<?, IItem> calls = accessor(type, "calls");
        for (IItem item : items) {
          if ("writer".equals(thread.getMember(item)) && "write".equals(syscall.getMember(item))) {
            writerCalls = Math.max(writerCalls, ((Number) calls.getMember(item)).longValue());
          }
        }
      }
    }
    Map<String, Long> jdk = new TreeMap<>();
    events.forEach(e -> jdk.merge(e.getEventType().getName(), 1L, Long::sum));
    assertEquals(jdk, counts);
    assertEquals(WRITES, writerCalls);
  }

  private static IMemberAccessor<?, IItem> accessor(IType<IItem> type, String field) {
    for (IAccessorKey<?> key : type.getAccessorKeys().keySet()) {
      if (key.getIdentifier().equals(field)) {
        return type.getAccessor(key);
      }
    }
    throw new AssertionError(type.getIdentifier() + " has no field " + field + ": " + type.getAccessorKeys().keySet());
  }

  @Test
  void withJfrEventsOffTheRecordingHasNone() throws Exception {
    Path off = recording.resolveSibling("off.jfr");
    Files.deleteIfExists(off);
    AgentRun.Result offRun = AgentRun.of(WORKLOAD, "10").agentOptions("jfr.events=off")
        .jvmFlags(startFlightRecording(off)).run();
    assertTrue(offRun.stdout().contains("done"), offRun.describe());
    assertEquals("off: turned off by jfr.events=off", offRun.summary().feature("jfr.events"));
    try (RecordingFile file = new RecordingFile(off)) {
      assertTrue(file.readEventTypes().stream().noneMatch(t -> t.getName().startsWith("jvmebpf.")));
    }
  }

  private static List<RecordedEvent> of(String type, Predicate<RecordedEvent> filter) {
    return events.stream().filter(e -> e.getEventType().getName().equals(type)).filter(filter).toList();
  }

  private static RecordedEvent only(String type, Predicate<RecordedEvent> filter) {
    List<RecordedEvent> matching = of(type, filter);
    assertEquals(1, matching.size(), type + ": " + matching);
    return matching.get(0);
  }

  private static String jfrTool(String... args) throws Exception {
    Path jfr = Path.of(AgentRun.currentJava()).resolveSibling("jfr");
    List<String> command = new ArrayList<>(List.of(jfr.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "jfr " + args[0] + " hung");
    assertEquals(0, process.exitValue(), out);
    return out;
  }
}
