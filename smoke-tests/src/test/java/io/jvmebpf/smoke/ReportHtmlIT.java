package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    Path png = runDir.resolve("report.png");
    assertEquals(List.of(), chromium.screenshot(url, png), "console messages while taking the screenshot");
    assertTrue(Files.size(png) > 10_000, "screenshot " + png + " is too small");
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
