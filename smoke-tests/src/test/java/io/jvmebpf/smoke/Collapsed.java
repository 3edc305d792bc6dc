package io.jvmebpf.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A folded-stacks file ({@code frame;frame;leaf count}), as FlameGraph and async-profiler write it. */
record Collapsed(List<Line> lines) {
  record Line(List<String> frames, long count) {}

  static Collapsed read(Path file) throws IOException {
    List<Line> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      lines.add(new Line(List.of(line.substring(0, space).split(";")), Long.parseLong(line.substring(space + 1))));
    }
    return new Collapsed(lines);
  }

  /** The lines rooted at a thread frame ({@code [name tid=N]}) of one of these names. */
  Collapsed ofThreads(java.util.Set<String> names) {
    return new Collapsed(lines.stream().filter(l -> {
      String root = l.frames().get(0);
      int tid = root.lastIndexOf(" tid=");
      return root.startsWith("[") && tid > 0 && names.contains(root.substring(1, tid));
    }).toList());
  }

  long total() {
    return lines.stream().mapToLong(Line::count).sum();
  }

  /**
   * Samples per method, counting each sample once for its innermost frame that {@code isJava}
   * accepts, names normalised by {@code normalise}.
   */
  Map<String, Long> byInnermostJava(Predicate<String> isJava, java.util.function.UnaryOperator<String> normalise) {
    Map<String, Long> counts = new HashMap<>();
    for (Line line : lines) {
      for (int i = line.frames().size() - 1; i >= 1; i--) { // frame 0 is the thread
        String frame = line.frames().get(i);
        if (isJava.test(frame)) {
          counts.merge(normalise.apply(frame), line.count(), Long::sum);
          break;
        }
      }
    }
    return counts;
  }
}
