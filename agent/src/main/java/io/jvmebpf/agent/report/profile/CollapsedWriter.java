package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.AtomicFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes folded stacks, the input of Brendan Gregg's flamegraph.pl and of async-profiler's
 * converter: one line per distinct (thread, stack), {@code [thread tid=N];root;...;leaf count}.
 * Java frames are {@code pkg.Class.method}, native ones their symbol, kernel ones end in
 * {@code _[k]}. Lines are sorted, so equal profiles give equal files.
 */
public final class CollapsedWriter {
  public static final String EXTENSION = ".collapsed";

  public Path write(Profile profile, Path folder, String baseName) throws IOException {
    Map<String, Long> lines = new TreeMap<>();
    for (StackSample sample : profile.samples()) {
      if (sample.count() > 0) {
        // Stacks the model keeps apart (joined or not) or that differ only in ';' are one line here.
        lines.merge(FrameNames.collapsedStack(sample), sample.count(), Long::sum);
      }
    }
    return AtomicFile.write(
        folder.resolve(baseName + EXTENSION),
        out -> {
          Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
          for (Map.Entry<String, Long> line : lines.entrySet()) {
            text.append(line.getKey()).append(' ').append(Long.toString(line.getValue())).append('\n');
          }
          text.flush();
        });
  }
}
