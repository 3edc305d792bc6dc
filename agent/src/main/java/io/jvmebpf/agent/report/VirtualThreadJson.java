package io.jvmebpf.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.jvmebpf.agent.vthreads.VirtualThreadSummary;
import java.io.IOException;
import java.util.Map;

/** {@code summary.json}'s {@code virtualThreads}: per name pattern, what ran mounted and what blocked. */
final class VirtualThreadJson {
  private VirtualThreadJson() {}

  static void write(JsonGenerator json, VirtualThreadSummary summary) throws IOException {
    json.writeObjectFieldStart("virtualThreads");
    json.writeNumberField("mounts", summary.mounts());
    json.writeNumberField("unmounts", summary.unmounts());
    json.writeNumberField("threads", summary.threads());
    json.writeNumberField("cpuSamples", summary.cpuSamples());
    json.writeNumberField("cpuNs", summary.cpuNs());
    json.writeNumberField("offCpuNs", summary.offCpuNs());
    json.writeArrayFieldStart("patterns");
    for (VirtualThreadSummary.Pattern p : summary.patterns()) {
      json.writeStartObject();
      json.writeStringField("name", p.name());
      json.writeNumberField("threads", p.threads());
      json.writeNumberField("cpuSamples", p.cpuSamples());
      json.writeNumberField("cpuNs", p.cpuNs());
      json.writeObjectFieldStart("offCpuNs");
      for (Map.Entry<String, Long> reason : p.offCpuNs().entrySet()) {
        json.writeNumberField(reason.getKey(), reason.getValue());
      }
      json.writeEndObject();
      json.writeNumberField("blocks", p.blocks());
      json.writeArrayFieldStart("carriers");
      for (VirtualThreadSummary.Carrier c : p.carriers()) {
        json.writeStartObject();
        json.writeNumberField("tid", c.tid());
        json.writeStringField("name", c.name());
        json.writeNumberField("samples", c.samples());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("syscalls");
      for (VirtualThreadSummary.Syscall c : p.syscalls()) {
        json.writeStartObject();
        json.writeStringField("name", c.name());
        json.writeNumberField("count", c.count());
        json.writeNumberField("errors", c.errors());
        json.writeNumberField("totalNs", c.totalNs());
        json.writeNumberField("maxNs", c.maxNs());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
