package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import one.convert.Arguments;
import one.convert.CallStack;
import one.convert.FlameGraph;

/**
 * Writes a self-contained HTML flame graph with async-profiler's own renderer ({@code
 * one.convert.FlameGraph} and its {@code flame.html}, from the jfr-converter artifact): the page
 * holds its data and script, fetches nothing, and searches by regular expression. Each thread is a
 * root frame {@code [name tid=N]}; {@link ThreadFilter} adds the list that shows one of them.
 */
public final class FlameGraphWriter {
  public static final String EXTENSION = ".html";

  private static final String CPOOL_START = "const cpool = [\n";
  private static final String CPOOL_END = "\n];\n";

  public Path write(Profile profile, ProfileKind kind, Path folder, String baseName) throws IOException {
    Arguments args = new Arguments();
    args.title = Html.escape(kind.describe(profile)); // printed into <h1> as it is
    FlameGraph graph = new FlameGraph(args);
    Map<String, ThreadFilter.ThreadTotal> threads = new HashMap<>();
    // Stacks go in with their types rather than as collapsed text, whose parser guesses types
    // from names: pkg.Class.method would be native, a native symbol holding a '/' Java.
    CallStack stack = new CallStack();
    for (StackSample sample : profile.samples()) {
      if (sample.count() <= 0) {
        continue;
      }
      String root = FrameNames.threadRoot(sample);
      stack.clear();
      stack.push(root, one.convert.Frame.TYPE_NATIVE);
      for (Frame frame : sample.frames()) {
        stack.push(FrameNames.printable(frame.name()), FrameTypes.of(frame));
      }
      graph.addSample(stack, sample.count());
      threads.merge(
          root,
          new ThreadFilter.ThreadTotal(root, sample.thread(), sample.tid(), sample.count()),
          ThreadFilter.ThreadTotal::plus);
    }
    ByteArrayOutputStream html = new ByteArrayOutputStream();
    graph.dump(html);
    String page =
        ThreadFilter.addTo(
            scriptSafe(html.toString(StandardCharsets.UTF_8)),
            new ArrayList<>(threads.values()),
            kind.countName());
    return AtomicFile.write(
        folder.resolve(baseName + EXTENSION), out -> out.write(page.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The page holds every name in JavaScript string literals inside a script element, where the
   * template escapes only quotes and backslashes: a thread named {@code </script>} would end the
   * script. In the names' array every '<' becomes the escape {@code \x3C}, the same character.
   */
  static String scriptSafe(String html) {
    int start = html.indexOf(CPOOL_START);
    int end = start < 0 ? -1 : html.indexOf(CPOOL_END, start);
    if (end < 0) {
      throw new IllegalStateException("flame.html has no '" + CPOOL_START.strip() + "' array: template changed");
    }
    String names = html.substring(start, end).replace("<", "\\x3C");
    return html.substring(0, start) + names + html.substring(end);
  }
}
