package io.jvmebpf.agent.report.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import one.convert.Arguments;
import one.convert.FlameGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlameGraphWriterTest {
  @TempDir Path folder;

  @Test
  void fetchesNothing() throws Exception {
    String html = write(TestProfiles.cpu());
    String lower = html.toLowerCase(Locale.ROOT);

    for (String fetch : List.of("<script src", "<link", "<img", "<iframe", "@import", "url(", "fetch(", "xmlhttprequest",
        "import(")) {
      assertFalse(lower.contains(fetch), fetch);
    }
    // The only addresses: the SVG namespace of the buttons' icons and the template's link to
    // async-profiler, neither fetched.
    String rest = lower.replace("xmlns='http://www.w3.org/2000/svg'", "")
        .replace("<a href='https://github.com/async-profiler/async-profiler'>", "");
    assertFalse(rest.contains("http:"), "http:");
    assertFalse(rest.contains("https:"), "https:");
    assertFalse(Pattern.compile("\\ssrc\\s*=").matcher(lower).find(), "src=");
  }

  @Test
  void holdsEveryThreadAndFrameName() throws Exception {
    Profile profile = TestProfiles.cpu();
    List<String> names = namesOf(write(profile));

    for (StackSample sample : profile.samples()) {
      if (sample.count() > 0) {
        assertTrue(names.contains(FrameNames.threadRoot(sample)), sample.thread());
        for (Frame frame : sample.frames()) {
          assertTrue(names.contains(frame.name()), frame.name());
        }
      }
    }
    assertTrue(names.contains("[pool;1 worker tid=202]"), "';' is no separator here, only the newline goes");
  }

  @Test
  void aThreadNameCannotEndTheScript() throws Exception {
    String html = write(TestProfiles.cpu()).toLowerCase(Locale.ROOT);

    assertEquals(count(html, "<script"), count(html, "</script"));
    assertFalse(html.contains(TestProfiles.SCRIPT));
  }

  @Test
  void listsEveryThreadBusiestFirst() throws Exception {
    String html = write(TestProfiles.cpu());

    assertTrue(html.contains("<select id='" + ThreadFilter.SELECT_ID + "'"));
    assertTrue(html.contains("document.getElementById('" + ThreadFilter.SELECT_ID + "')"));
    Matcher option = Pattern.compile("<option value='([^']*)'>([^<]*)</option>").matcher(html);
    List<String> values = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    while (option.find()) {
      values.add(option.group(1));
      labels.add(option.group(2));
    }
    assertEquals(List.of("", "[main tid=101]", "[pool;1 worker tid=202]", "[&lt;/script&gt;&lt;b&gt;x tid=404]"), values);
    assertEquals(List.of(
        "All threads (3)",
        "main (tid 101): 10 samples, 62.5%",
        "pool;1 worker (tid 202): 5 samples, 31.3%",
        "&lt;/script&gt;&lt;b&gt;x (tid 404): 1 samples, 6.3%"), labels);
  }

  @Test
  void titledWithTheTotals() throws Exception {
    assertTrue(write(TestProfiles.cpu()).contains("<h1>CPU profile (16 samples, interval 10 ms)</h1>"));
  }

  /**
   * async-profiler's own reader of its pages gives back the stacks with their frame types (the
   * colours), each under its thread.
   */
  @Test
  void readsBackAsTheStacksWithTheirTypes() throws Exception {
    Arguments collapsed = new Arguments();
    collapsed.output = "collapsed";
    FlameGraph graph = new FlameGraph(collapsed);
    graph.parseHtml(new StringReader(write(TestProfiles.cpu())));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    graph.dump(text);

    List<String> lines = Arrays.stream(text.toString(StandardCharsets.UTF_8).split("\n"))
        .map(line -> line.replace("\\x3C", "<"))
        .sorted()
        .toList();
    assertEquals(List.of(
        "[</script><b>x tid=404];std::vector<int>::push_back 1",
        "[main tid=101];com.example.App.main_[j];com.example.App.work_[j];java.util.HashMap.hash_[i] 8",
        "[main tid=101];com.example.App.main_[j];java.io.FileOutputStream.writeBytes_[j];writeBytes;write;"
            + "entry_SYSCALL_64_[k];ksys_write_[k] 2",
        "[pool;1 worker tid=202];java.lang.Thread.run_[0] 1",
        "[pool;1 worker tid=202];java.lang.Thread.run_[0];Unsafe_Park;Parker::park;futex_wait_[k] 4"), lines);
  }

  private String write(Profile profile) throws Exception {
    Path written = new FlameGraphWriter().write(profile, ProfileKind.CPU, folder, "cpu");
    assertEquals(folder.resolve("cpu.html"), written);
    return Files.readString(written, StandardCharsets.UTF_8);
  }

  /** The page's names as its script sees them: the array of JS strings, each after a shared prefix. */
  private static List<String> namesOf(String html) {
    String start = "const cpool = [\n";
    int from = html.indexOf(start) + start.length();
    String[] literals = html.substring(from, html.indexOf("\n];\n", from)).split(",\n");
    List<String> names = new ArrayList<>();
    String previous = "";
    for (String literal : literals) {
      String packed = literal.substring(1, literal.length() - 1)
          .replace("\\x3C", "<").replace("\\'", "'").replace("\\\\", "\\");
      String name = names.isEmpty() ? packed : previous.substring(0, packed.charAt(0) - ' ') + packed.substring(1);
      names.add(name);
      previous = name;
    }
    return names;
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }
}
