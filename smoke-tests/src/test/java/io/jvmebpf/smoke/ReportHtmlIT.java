package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code report.html} of the demo workload, started with {@code jvm-ebpf run}, opened in headless
 * Chromium: the page renders without a console message, its CPU flame graph holds the spinner's
 * hot method, the thread filter shows another thread's stacks without it, and the connections
 * table holds the demo's loopback connection, and the memory chart draws every sample. The screenshot is
 * kept as {@code target/report-html-it/report.png}.
 */
@ExtendWith(RequiresBpf.class)
class ReportHtmlIT {
  private static final String HOT_METHOD = "io.jvmebpf.workloads.DemoWorkload.spin";

  @Test
  void theDemoReportRendersWithFlameGraphsAndAThreadFilter() throws Exception {
    Path runDir = Files.createDirectories(AgentRun.workloadsJar().getParent().resolve("report-html-it"));
    HeadlessChromium chromium = HeadlessChromium.find(runDir);
    Path report = runDir.resolve("report");
    Cli.Result run = Cli.run(runDir, "run", "out=" + report, "--", "java", "-cp", AgentRun.workloadsJar().toString(),
        "io.jvmebpf.workloads.DemoWorkload");
    assertEquals(0, run.exitCode(), run.toString());
    Path page = report.resolve("report.html");
    assertTrue(Files.isRegularFile(page), "no report.html: " + run);
    String html = Files.readString(page);
    assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "the page links to something outside it");

    String url = page.toUri().toString();
    HeadlessChromium.Page all = chromium.dumpDom(url);
    assertEquals(List.of(), all.console(), "console messages of the page");
    String cpuFlame = flame(all.dom(), "flame-cpu");
    assertTrue(cpuFlame.contains(">" + HOT_METHOD + "<"), "the CPU flame graph lacks " + HOT_METHOD);
    for (String id : List.of("agent", "memory", "time", "threads", "flame-offcpu", "syscalls", "files", "processes", "connections")) {
      assertTrue(all.dom().contains("<section id=\"" + id + "\""), "no section " + id);
    }

    // The thread filter, set from the page's address: another busy thread's stacks, not the spinner's.
    String other = busiestThreadBesides("spinner", report);
    HeadlessChromium.Page filtered =
        chromium.dumpDom(url + "#thread=" + URLEncoder.encode(other, StandardCharsets.UTF_8).replace("+", "%20"));
    assertEquals(List.of(), filtered.console(), "console messages of the filtered page");
    String otherFlame = flame(filtered.dom(), "flame-cpu");
    assertTrue(otherFlame.contains(">" + other + "<"), "the filtered flame graph lacks its thread " + other);
    assertFalse(otherFlame.contains(">" + HOT_METHOD + "<"), "the filter for " + other + " still shows " + HOT_METHOD);
    assertFalse(otherFlame.contains(">spinner tid="), "the filter for " + other + " still shows the spinner");

    // The network: the demo's fetcher sent 1 MiB to its server over loopback and got 100 KiB back,
    // one row of the connections table.
    String connections = section(all.dom(), "connections");
    assertTrue(connections.split("<tr").length > 1, "no connection rows");
    assertTrue(List.of(connections.split("<tr")).stream().anyMatch(row -> row.contains(">fetcher<")
        && row.contains(">1.0 MiB<") && row.contains(">100.0 KiB<")), "no row of fetcher's 1 MiB and 100 KiB: " + connections);
    assertTrue(all.dom().contains(">bytes sent<"), "no per-thread network columns");

    // Memory over time: the process's resident memory as a line of at least two samples (the
    // agent's start and its report; the demo runs a few seconds, one sample a second between).
    String memory = section(all.dom(), "memory");
    Matcher rss = Pattern.compile("<polyline class=\"line rss\" points=\"([^\"]*)\"").matcher(memory);
    assertTrue(memory.contains("<svg class=\"memory-chart\"") && rss.find(), "no chart of resident memory: " + memory);
    int points = rss.group(1).trim().split(" ").length;
    int samples = new ObjectMapper().readTree(report.resolve("summary.json").toFile()).at("/process/memory/ms").size();
    System.out.println("ReportHtmlIT: the memory chart draws " + points + " points of " + samples + " samples");
    assertTrue(points >= 2 && points == samples, points + " points drawn of " + samples + " samples");
    assertTrue(memory.contains(">MiB<") && memory.contains(">seconds since the agent started<"), "axes unlabelled");

    assertTrue(all.dom().contains("<section id=\"memory\""), "no memory section");
    // Sections of features still to come light up from their keys alone: the same page with a
    // spans key added to its data.
    ObjectNode future = (ObjectNode) new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    future.putObject("spans").put("onCpuNs", 1234);
    Path futurePage = runDir.resolve("future.html");
    Files.writeString(futurePage, withSummary(html, future.toString()));
    HeadlessChromium.Page later = chromium.dumpDom(futurePage.toUri().toString());
    assertEquals(List.of(), later.console(), "console messages of the page with future keys");
    assertTrue(later.dom().contains("<section id=\"data-spans\""), "an unknown key is not shown");

    Path png = runDir.resolve("report.png");
    assertEquals(List.of(), chromium.screenshot(url, png), "console messages while taking the screenshot");
    assertTrue(Files.size(png) > 10_000, "screenshot " + png + " is too small");
  }

  /** The page with other summary data in its script element, as the agent embeds it. */
  private static String withSummary(String html, String summaryJson) {
    String open = "<script type=\"application/json\" id=\"summary-data\">";
    int start = html.indexOf(open) + open.length();
    int end = html.indexOf("</script>", start);
    return html.substring(0, start) + summaryJson.replace("<", "\\u003c") + html.substring(end);
  }

  /** A section's DOM, from its start to its end. */
  private static String section(String dom, String id) {
    int start = dom.indexOf("<section id=\"" + id + "\"");
    assertTrue(start >= 0, "no section " + id);
    return dom.substring(start, dom.indexOf("</section>", start));
  }

  /** The frames a section's flame graph draws: its DOM from the graph's box to the section's end. */
  private static String flame(String dom, String id) {
    int start = dom.indexOf("<section id=\"" + id + "\"");
    assertTrue(start >= 0, "no section " + id);
    int box = dom.indexOf("<div class=\"flame\"", start);
    int end = dom.indexOf("</section>", start);
    assertTrue(box >= 0 && box < end, "no flame graph in section " + id);
    return dom.substring(box, end);
  }

  /** The flame graph's label ({@code name tid=N}) of the thread with the most CPU samples besides {@code name}. */
  private static String busiestThreadBesides(String name, Path report) throws Exception {
    Summary summary = new Summary(new ObjectMapper().readTree(report.resolve("summary.json").toFile()));
    JsonNode busiest = summary.threads().stream()
        .filter(t -> !name.equals(t.path("name").asText()) && t.path("cpu").path("samples").asLong() > 0)
        .max(Comparator.comparingLong(t -> t.path("cpu").path("samples").asLong()))
        .orElseThrow(() -> new AssertionError("no thread besides " + name + " has CPU samples"));
    return busiest.path("name").asText() + " tid=" + busiest.path("tid").asLong();
  }
}
