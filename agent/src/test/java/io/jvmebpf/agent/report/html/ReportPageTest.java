package io.jvmebpf.agent.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.AgentInfo;
import io.jvmebpf.agent.report.MemoryTimeline;
import io.jvmebpf.agent.report.Overhead;
import io.jvmebpf.agent.report.ProcessInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.Summary;
import io.jvmebpf.agent.report.SummaryJsonWriter;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOSTILE = "evil</script><script>alert(1)</script>";

  @Test
  void thePageHoldsTheSummaryAndTheStacksAsWrittenAndNoNameEndsItsScript(@TempDir Path dir) throws Exception {
    Path summary = dir.resolve("summary.json");
    Files.writeString(summary, "{\"process\":{\"pid\":7},\"threads\":[{\"tid\":8,\"name\":\"" + HOSTILE + "\"}],"
        + "\"connections\":[{\"protocol\":\"tcp\"}]}");
    Profile profile = new Profile("cpu", 10_000_000L, List.of(
        new StackSample(8, HOSTILE, List.of(new Frame("a.B.run", FrameKind.JIT), new Frame("a.B.spin", FrameKind.INLINED)), 5, false),
        new StackSample(9, "other", List.of(new Frame("a.B.run", FrameKind.JIT)), 2, true)));
    ReportBuilder.ProfileFile cpu = new ReportBuilder.ProfileFile("cpu", profile, ProfileKind.CPU, span());

    Path page = ReportPage.write(summary, List.of(cpu), dir);
    String html = Files.readString(page);

    assertEquals(dir.resolve("report.html"), page);
    assertFalse(html.contains(HOSTILE), "a name reached the page unescaped");
    assertFalse(html.contains("/*SUMMARY*/") || html.contains("/*PROFILES*/") || html.contains("/*SCRIPT*/"));
    JsonNode embedded = JSON.readTree(script(html, "summary-data"));
    assertEquals(JSON.readTree(summary.toFile()), embedded, "summary.json embedded as written");
    JsonNode stacks = JSON.readTree(script(html, "profile-data")).path("cpu");
    assertEquals(7, stacks.path("total").asLong());
    assertEquals("samples", stacks.path("unit").asText());
    assertEquals(List.of(HOSTILE + " tid=8", "other tid=9"), strings(stacks.path("threads")));
    // Heaviest first; each stack [thread, count, frames root first...] over one table of frames.
    assertEquals("[0,5,0,1]", stacks.path("stacks").get(0).toString());
    assertEquals("[1,2,0]", stacks.path("stacks").get(1).toString());
    assertEquals("[\"a.B.spin\",\"inlined\"]", stacks.path("frames").get(1).toString());
  }

  @Test
  void aNameHoldingTheTemplatesMarkersReachesThePageAsWritten(@TempDir Path dir) throws Exception {
    String markers = "/*STYLE*/ /*SUMMARY*/ /*PROFILES*/ /*SCRIPT*/";
    Path summary = dir.resolve("summary.json");
    Files.writeString(summary, "{\"threads\":[{\"tid\":8,\"name\":\"" + markers + "\"}],"
        + "\"files\":[{\"path\":\"/tmp/" + markers + "\"}]}");
    Profile profile = new Profile("cpu", 10_000_000L, List.of(
        new StackSample(8, markers, List.of(new Frame(markers, FrameKind.JIT)), 5, false)));

    String html = Files.readString(ReportPage.write(summary,
        List.of(new ReportBuilder.ProfileFile("cpu", profile, ProfileKind.CPU, span())), dir));

    assertEquals(JSON.readTree(summary.toFile()), JSON.readTree(script(html, "summary-data")),
        "summary.json embedded as written");
    JsonNode stacks = JSON.readTree(script(html, "profile-data")).path("cpu");
    assertEquals(List.of(markers + " tid=8"), strings(stacks.path("threads")));
    assertEquals(markers, stacks.path("frames").get(0).get(0).asText());
  }

  @Test
  void onlyTheHeaviestStacksAreKeptAndTheTotalStillCountsAll(@TempDir Path dir) throws Exception {
    List<StackSample> samples = new ArrayList<>();
    for (int i = 0; i < FlameData.MAX_STACKS + 10; i++) {
      samples.add(new StackSample(1, "t", List.of(new Frame("f" + i, FrameKind.NATIVE)), i + 1, false));
    }
    Profile profile = new Profile("cpu", 1, samples);
    StringWriter json = new StringWriter();
    FlameData.write(List.of(new ReportBuilder.ProfileFile("cpu", profile, ProfileKind.CPU, span())), json);
    JsonNode data = JSON.readTree(json.toString()).path("cpu");
    assertEquals(FlameData.MAX_STACKS, data.path("shownStacks").asInt());
    assertEquals(FlameData.MAX_STACKS + 10, data.path("allStacks").asInt());
    assertEquals(profile.totalSamples(), data.path("total").asLong());
    assertEquals(FlameData.MAX_STACKS + 10, data.path("stacks").get(0).get(1).asLong(), "heaviest first");
  }

  /** The memory chart is drawn from {@code process.memory} as the writer writes it, by the page's script. */
  @Test
  void theMemoryTimelineReachesThePageWithTheScriptThatChartsIt(@TempDir Path dir) throws Exception {
    MemoryTimeline memory = new MemoryTimeline(Instant.parse("2026-11-26T05:00:00Z"), 1000, List.of(
        new MemoryTimeline.Point(0, 40L << 20, 5L << 20, 16L << 20),
        new MemoryTimeline.Point(1000, 250L << 20, 6L << 20, 16L << 20),
        new MemoryTimeline.Point(1400, 251L << 20, 7L << 20, 16L << 20)));
    Summary summary = new Summary(new ProcessInfo(7, "jvm", "6.18", Instant.EPOCH, 1400, memory),
        new AgentInfo("1", 0, Map.of(), new Overhead(0, 0, null, null, 0, 0), Map.of()),
        null, null, List.of(), List.of(), null, null, null, null, null, null, null);
    Path json = new SummaryJsonWriter().write(summary, dir);

    String html = Files.readString(ReportPage.write(json, List.of(), dir));

    JsonNode embedded = JSON.readTree(script(html, "summary-data")).at("/process/memory");
    assertEquals("[0,1000,1400]", embedded.get("ms").toString());
    assertEquals(251L << 20, embedded.at("/rssBytes/2").asLong());
    assertEquals(7L << 20, embedded.at("/heapUsedBytes/2").asLong());
    assertTrue(html.contains("summary.process && summary.process.memory") && html.contains("\"memory-chart\""),
        "the page's script does not chart process.memory");
  }

  @Test
  void thePageFetchesNothing(@TempDir Path dir) throws Exception {
    Path summary = dir.resolve("summary.json");
    Files.writeString(summary, "{}");
    String html = Files.readString(ReportPage.write(summary, List.of(), dir));
    assertTrue(html.contains("default-src 'none'"), "the page's policy forbids every fetch");
    assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"'](https?:)?//").matcher(html).find(), "a link outside the page");
  }

  private static ProfileSpan span() {
    return ProfileSpan.Start.now().until(System.nanoTime());
  }

  private static String script(String html, String id) {
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"" + id + "\">(.*?)</script>", Pattern.DOTALL)
        .matcher(html);
    assertTrue(m.find(), "no script " + id);
    return m.group(1);
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
