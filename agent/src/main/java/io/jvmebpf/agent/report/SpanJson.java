package io.jvmebpf.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.jvmebpf.agent.spans.KernelFigures;
import io.jvmebpf.agent.spans.SpanSummary;
import java.io.IOException;
import java.util.List;

/** {@code summary.json}'s {@code spans}: what the kernel saw during server and consumer spans. */
final class SpanJson {
  private SpanJson() {}

  static void writeSpans(JsonGenerator json, SpanSummary spans) throws IOException {
    json.writeObjectFieldStart("spans");
    json.writeNumberField("ended", spans.ended());
    json.writeNumberField("attributed", spans.attributed());
    json.writeNumberField("wallNs", spans.wallNs());
    json.writeNumberField("attributedWallNs", spans.attributedWallNs());
    writeTop(json, "topByOnCpu", spans.top(KernelFigures.ON_CPU_NS));
    writeTop(json, "topByOffCpu", spans.top(KernelFigures.OFF_CPU_NS));
    json.writeEndObject();
  }

  private static void writeTop(JsonGenerator json, String field, List<SpanSummary.ByName> rows) throws IOException {
    json.writeArrayFieldStart(field);
    for (SpanSummary.ByName row : rows) {
      json.writeStartObject();
      json.writeStringField("name", row.name());
      json.writeNumberField("spans", row.spans());
      json.writeNumberField("wallNs", row.wallNs());
      for (int i = 0; i < KernelFigures.COUNT; i++) {
        json.writeNumberField(KernelFigures.JSON_KEYS.get(i), row.figure(i));
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
