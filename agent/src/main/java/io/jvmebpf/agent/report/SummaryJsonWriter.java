package io.jvmebpf.agent.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Writes {@code summary.json}; field names are a contract: add, never rename. */
public final class SummaryJsonWriter {
  public static final String FILE_NAME = "summary.json";

  private static final JsonFactory JSON = new JsonFactory();

  /** Writes to a temporary file first, so a reader never sees half a report. */
  public Path write(Summary summary, Path folder) throws IOException {
    Files.createDirectories(folder);
    Path target = folder.resolve(FILE_NAME);
    Path partial = folder.resolve(FILE_NAME + ".partial");
    try (JsonGenerator json = JSON.createGenerator(partial.toFile(), JsonEncoding.UTF8)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      writeProcess(json, summary.process());
      writeAgent(json, summary.agent());
      if (summary.cpu() != null) {
        writeCpuInfo(json, summary.cpu());
      }
      json.writeArrayFieldStart("threads");
      for (ThreadSummary thread : summary.threads()) {
        writeThread(json, thread);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeProcess(JsonGenerator json, ProcessInfo process) throws IOException {
    json.writeObjectFieldStart("process");
    json.writeNumberField("pid", process.pid());
    json.writeStringField("jvm", process.jvm());
    json.writeStringField("kernel", process.kernel());
    json.writeStringField("startedAt", process.startedAt().toString());
    json.writeNumberField("durationMs", process.durationMs());
    json.writeEndObject();
  }

  private static void writeAgent(JsonGenerator json, AgentInfo agent) throws IOException {
    json.writeObjectFieldStart("agent");
    json.writeStringField("version", agent.version());
    json.writeObjectFieldStart("features");
    for (Map.Entry<String, String> feature : agent.features().entrySet()) {
      json.writeStringField(feature.getKey(), feature.getValue());
    }
    json.writeEndObject();
    Overhead overhead = agent.overhead();
    json.writeObjectFieldStart("overhead");
    json.writeNumberField("cpuNs", overhead.cpuNs());
    json.writeNumberField("rssBytes", overhead.rssBytes());
    writeNullable(json, "bpfRunNs", overhead.bpfRunNs());
    writeNullable(json, "bpfRunCount", overhead.bpfRunCount());
    json.writeNumberField("bpfMapBytes", overhead.bpfMapBytes());
    json.writeNumberField("startupMs", overhead.startupMs());
    json.writeEndObject();
    json.writeObjectFieldStart("dropped");
    for (Map.Entry<String, Long> dropped : agent.dropped().entrySet()) {
      json.writeNumberField(dropped.getKey(), dropped.getValue());
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void writeThread(JsonGenerator json, ThreadSummary thread) throws IOException {
    json.writeStartObject();
    json.writeNumberField("tid", thread.tid());
    json.writeStringField("name", thread.name());
    writeNullable(json, "javaThreadId", thread.javaThreadId());
    json.writeArrayFieldStart("syscalls");
    for (SyscallSummary s : thread.syscalls()) {
      json.writeStartObject();
      json.writeStringField("name", s.name());
      json.writeNumberField("count", s.count());
      json.writeNumberField("errors", s.errors());
      json.writeNumberField("totalNs", s.totalNs());
      json.writeNumberField("maxNs", s.maxNs());
      json.writeObjectFieldStart("latencyLog2Ns");
      for (Map.Entry<Long, Long> bucket : s.latencyLog2Ns().entrySet()) {
        json.writeNumberField(Long.toString(bucket.getKey()), bucket.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    json.writeEndArray();
    if (thread.cpu() != null) {
      writeCpu(json, thread.cpu());
    }
    json.writeEndObject();
  }

  private static void writeCpuInfo(JsonGenerator json, CpuInfo cpu) throws IOException {
    json.writeObjectFieldStart("cpu");
    json.writeStringField("event", cpu.event());
    json.writeNumberField("intervalNs", cpu.intervalNs());
    json.writeNumberField("rateHz", 1_000_000_000.0 / cpu.intervalNs());
    json.writeNumberField("cpusSampled", cpu.cpusSampled());
    json.writeNumberField("samples", cpu.samples());
    json.writeNumberField("javaFrameShare", cpu.javaFrameShare());
    json.writeNumberField("joinedShare", cpu.joinedShare());
    json.writeBooleanField("preserveFramePointer", cpu.preserveFramePointer());
    json.writeEndObject();
  }

  private static void writeCpu(JsonGenerator json, CpuSummary cpu) throws IOException {
    json.writeObjectFieldStart("cpu");
    json.writeNumberField("samples", cpu.samples());
    json.writeNumberField("kernelSamples", cpu.kernelSamples());
    json.writeNumberField("javaSamples", cpu.javaSamples());
    json.writeNumberField("joinedSamples", cpu.joinedSamples());
    json.writeArrayFieldStart("topFrames");
    for (CpuSummary.TopFrame frame : cpu.topFrames()) {
      json.writeStartObject();
      json.writeStringField("name", frame.name());
      json.writeStringField("kind", frame.kind());
      json.writeNumberField("samples", frame.samples());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeNullable(JsonGenerator json, String field, Long value) throws IOException {
    if (value == null) {
      json.writeNullField(field);
    } else {
      json.writeNumberField(field, value);
    }
  }
}
