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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code report.html} of the demo workload, started with {@code jvm-ebpf run}, opened in headless
 * Chromium: the page renders without a console message, its CPU flame graph holds the spinner's
 * hot method, and the thread filter shows another thread's stacks without it. The screenshot is
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
    for (String id : List.of("agent", "time", "threads", "flame-offcpu", "syscalls", "files", "processes")) {
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

    // Sections of features still to come light up from their keys alone: the same page with
    // network and memory keys added to its data.
    ObjectNode future = (ObjectNode) new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    ObjectNode connection = future.putArray("connections").addObject();
    connection.put("protocol", "tcp");
    connection.putObject("local").put("address", "127.0.0.1").put("port", 40000);
    connection.putObject("remote").put("address", "127.0.0.1").put("port", 8080);
    connection.putObject("thread").put("name", "writer").put("tid", 12);
    connection.putArray("stack").add("java.net.Socket.connect").add("a.very.long.package.name.Client.".repeat(5) + "open");
    connection.put("bytesSent", 4096).put("bytesReceived", 512).put("srttUs", 35).put("state", "ESTABLISHED");
    future.putObject("connectionsOther").put("connections", 3).put("bytesSent", 10).put("bytesReceived", 20);
    ((ObjectNode) future.path("threads").get(0)).putObject("network").put("bytesSent", 4096).put("bytesReceived", 512)
        .put("connections", 1);
    future.putObject("memory").put("nativeAllocatedBytes", 1234);
    Path futurePage = runDir.resolve("future.html");
    Files.writeString(futurePage, withSummary(html, future.toString()));
    HeadlessChromium.Page later = chromium.dumpDom(futurePage.toUri().toString());
    assertEquals(List.of(), later.console(), "console messages of the page with future keys");
    assertTrue(later.dom().contains("<section id=\"connections\""), "no connections section");
    assertTrue(later.dom().contains(">remote.port<") && later.dom().contains(">ESTABLISHED<"), "connections table");
    assertTrue(later.dom().contains(">bytes sent<"), "no per-thread network columns");
    assertTrue(later.dom().contains("<section id=\"data-memory\""), "an unknown key is not shown");

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
