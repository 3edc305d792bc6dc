package io.jvmebpf.agent.report.html;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.ReportBuilder;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The profiles' stacks as the page's flame graphs read them, frames and thread names each written
 * once: {@code {"cpu": {"title", "unit", "total", "shownStacks", "allStacks", "threads": [name],
 * "frames": [[name, kind]], "stacks": [[thread, count, frame, ...]]}}}, frames root first. The
 * heaviest {@value #MAX_STACKS} stacks of a profile are kept, so that the page stays small enough
 * to open; {@code total} still counts all.
 */
final class FlameData {
  static final int MAX_STACKS = 20_000;
  private static final JsonFactory JSON = new JsonFactory();

  private FlameData() {}

  /** Writes the profiles' data to {@code text}, which stays open. */
  static void write(List<ReportBuilder.ProfileFile> profiles, Writer text) throws IOException {
    try (JsonGenerator out = JSON.createGenerator(text)) {
      out.writeStartObject();
      for (ReportBuilder.ProfileFile profile : profiles) {
        out.writeObjectFieldStart(profile.baseName());
        write(profile, out);
        out.writeEndObject();
      }
      out.writeEndObject();
    }
  }

  private static void write(ReportBuilder.ProfileFile profile, JsonGenerator out) throws IOException {
    List<StackSample> samples = new ArrayList<>(profile.profile().samples());
    samples.sort(Comparator.comparingLong(StackSample::count).reversed());
    List<StackSample> shown = samples.subList(0, Math.min(MAX_STACKS, samples.size()));
    out.writeStringField("title", profile.kind().describe(profile.profile()));
    out.writeStringField("unit", profile.kind().countName());
    out.writeNumberField("total", profile.profile().totalSamples());
    out.writeNumberField("shownStacks", shown.size());
    out.writeNumberField("allStacks", samples.size());
    Map<String, Integer> threads = new LinkedHashMap<>();
    Map<Frame, Integer> frames = new LinkedHashMap<>();
    List<int[]> stacks = new ArrayList<>();
    for (StackSample sample : shown) {
      int[] stack = new int[sample.frames().size() + 1];
      stack[0] = threads.computeIfAbsent(sample.thread() + " tid=" + sample.tid(), k -> threads.size());
      for (int i = 0; i < sample.frames().size(); i++) {
        stack[i + 1] = frames.computeIfAbsent(sample.frames().get(i), k -> frames.size());
      }
      stacks.add(stack);
    }
    out.writeArrayFieldStart("threads");
    for (String thread : threads.keySet()) {
      out.writeString(thread);
    }
    out.writeEndArray();
    out.writeArrayFieldStart("frames");
    for (Frame frame : frames.keySet()) {
      out.writeStartArray();
      out.writeString(frame.name());
      out.writeString(frame.kind().name().toLowerCase(Locale.ROOT));
      out.writeEndArray();
    }
    out.writeEndArray();
    out.writeArrayFieldStart("stacks");
    for (int s = 0; s < stacks.size(); s++) {
      int[] stack = stacks.get(s);
      out.writeStartArray();
      out.writeNumber(stack[0]);
      out.writeNumber(shown.get(s).count());
      for (int i = 1; i < stack.length; i++) {
        out.writeNumber(stack[i]);
      }
      out.writeEndArray();
    }
    out.writeEndArray();
  }
}
