package io.jvmebpf.agent.report.html;

import io.jvmebpf.agent.report.AtomicFile;
import io.jvmebpf.agent.report.ReportBuilder;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
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
 *
 * <p>The template is cut at its markers once and each piece streamed in its place: data is never
 * searched for a marker (a thread name or path may hold one), and the page is never held whole.
 */
public final class ReportPage {
  public static final String FILE = "report.html";
  private static final String FOLDER = "/io/jvmebpf/agent/report/html/";
  /** The template's markers, in the order they appear in it. */
  private static final List<String> MARKERS = List.of("/*STYLE*/", "/*SUMMARY*/", "/*PROFILES*/", "/*SCRIPT*/");

  private ReportPage() {}

  /** Writes {@code out/report.html} from the {@code summary.json} just written and the profiles. */
  public static Path write(Path summaryJson, List<ReportBuilder.ProfileFile> profiles, Path out) throws IOException {
    String template = resource("report.html");
    return AtomicFile.write(out.resolve(FILE), stream -> {
      Writer page = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
      int at = 0;
      for (String marker : MARKERS) {
        int found = template.indexOf(marker, at);
        if (found < 0) {
          throw new IOException(FOLDER + "report.html has no " + marker + " after offset " + at);
        }
        page.write(template, at, found - at);
        switch (marker) {
          case "/*STYLE*/" -> copy("report.css", page);
          case "/*SCRIPT*/" -> copy("report.js", page);
          case "/*SUMMARY*/" -> {
            try (Reader summary = Files.newBufferedReader(summaryJson, StandardCharsets.UTF_8)) {
              summary.transferTo(inScript(page));
            }
          }
          default -> FlameData.write(profiles, inScript(page));
        }
        at = found + marker.length();
      }
      page.write(template, at, template.length() - at);
      page.flush();
    });
  }

  /**
   * JSON written as the content of a script element: {@code <} only occurs inside its strings,
   * written as a JSON unicode escape, which means the same there. Closing it leaves {@code page} open.
   */
  static Writer inScript(Writer page) {
    return new FilterWriter(page) {
      @Override
      public void write(int c) throws IOException {
        if (c == '<') {
          out.write("\\u003c");
        } else {
          out.write(c);
        }
      }

      @Override
      public void write(char[] chars, int offset, int length) throws IOException {
        int run = offset; // the start of the characters not written yet
        for (int i = offset; i < offset + length; i++) {
          if (chars[i] == '<') {
            out.write(chars, run, i - run);
            out.write("\\u003c");
            run = i + 1;
          }
        }
        out.write(chars, run, offset + length - run);
      }

      @Override
      public void write(String text, int offset, int length) throws IOException {
        write(text.substring(offset, offset + length).toCharArray(), 0, length);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  private static void copy(String name, Writer page) throws IOException {
    try (InputStream in = open(name)) {
      new InputStreamReader(in, StandardCharsets.UTF_8).transferTo(page);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = open(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = ReportPage.class.getResourceAsStream(FOLDER + name);
    if (in == null) {
      throw new IOException(FOLDER + name + " is missing from the agent jar");
    }
    return in;
  }
}
