package io.jvmebpf.agent.report.html;

import io.jvmebpf.agent.report.AtomicFile;
import io.jvmebpf.agent.report.ReportBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code report.html}: one page that fetches nothing, its script and style inline, rendering every
 * section from the data embedded in it: {@code summary.json} as written (so a key a new feature
 * adds reaches the page without a change here, and a section shows only when its key is there)
 * and the flame graphs' stacks ({@link FlameData}). Names reach the page inside JSON in a
 * {@code <script type="application/json">} element, {@code <} escaped, so no name can end it.
 */
public final class ReportPage {
  public static final String FILE = "report.html";
  private static final String FOLDER = "/io/jvmebpf/agent/report/html/";

  private ReportPage() {}

  /** Writes {@code out/report.html} from the {@code summary.json} just written and the profiles. */
  public static Path write(Path summaryJson, List<ReportBuilder.ProfileFile> profiles, Path out) throws IOException {
    String summary = Files.readString(summaryJson, StandardCharsets.UTF_8);
    String page = resource("report.html")
        .replace("/*STYLE*/", resource("report.css"))
        .replace("/*SCRIPT*/", resource("report.js"))
        .replace("/*SUMMARY*/", inScript(summary))
        .replace("/*PROFILES*/", inScript(FlameData.json(profiles)));
    return AtomicFile.write(out.resolve(FILE), stream -> stream.write(page.getBytes(StandardCharsets.UTF_8)));
  }

  /** JSON as the content of a script element: {@code <} only occurs inside its strings. */
  static String inScript(String json) {
    return json.replace("<", "\\u003c");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ReportPage.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IOException(FOLDER + name + " is missing from the agent jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
