package io.jvmebpf.agent.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Writes {@code summary.json}; field names are a contract: add, never rename. */
public final class SummaryJsonWriter {
  public static final String FILE_NAME = "summary.json";

  private static final JsonFactory JSON = new JsonFactory();

  /** Writes through {@link AtomicFile}, so a reader never sees half a report. */
  public Path write(Summary summary, Path folder) throws IOException {
    return AtomicFile.write(folder.resolve(FILE_NAME), out -> {
      try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
        json.useDefaultPrettyPrinter();
        json.writeStartObject();
        writeProcess(json, summary.process());
        writeAgent(json, summary.agent());
        if (summary.cpu() != null) {
          writeCpuInfo(json, summary.cpu());
        }
        if (summary.offCpu() != null) {
          writeOffCpuInfo(json, summary.offCpu());
        }
        json.writeArrayFieldStart("threads");
        for (ThreadSummary thread : summary.threads()) {
          writeThread(json, thread);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("processes");
        for (ChildProcess process : summary.processes()) {
          writeProcess(json, process);
        }
        json.writeEndArray();
        if (summary.files() != null) {
          writeFiles(json, summary.files());
        }
        if (summary.network() != null) {
          writeNetworkInfo(json, summary.network());
          writeConnections(json, summary.connections());
        }
        if (summary.memory() != null || summary.javaHeap() != null) {
          MemoryJson.writeMemory(json, summary.memory(), summary.javaHeap());
        }
        if (summary.spans() != null) {
          SpanJson.writeSpans(json, summary.spans());
        }
        if (summary.virtualThreads() != null) {
          VirtualThreadJson.write(json, summary.virtualThreads());
        }
        json.writeEndObject();
      }
    });
  }

  private static void writeProcess(JsonGenerator json, ProcessInfo process) throws IOException {
    json.writeObjectFieldStart("process");
    json.writeNumberField("pid", process.pid());
    json.writeStringField("jvm", process.jvm());
    json.writeStringField("kernel", process.kernel());
    json.writeStringField("startedAt", process.startedAt().toString());
    json.writeNumberField("durationMs", process.durationMs());
    if (process.memory() != null) {
      writeMemory(json, process.memory());
    }
    json.writeEndObject();
  }

  /** Columns rather than an object per point: a long run's 600 points stay a few lines. */
  private static void writeMemory(JsonGenerator json, MemoryTimeline memory) throws IOException {
    json.writeObjectFieldStart("memory");
    json.writeStringField("startedAt", memory.startedAt().toString());
    json.writeNumberField("periodMs", memory.periodMs());
    writeColumn(json, "ms", memory.points(), MemoryTimeline.Point::ms);
    writeColumn(json, "rssBytes", memory.points(), MemoryTimeline.Point::rssBytes);
    writeColumn(json, "heapUsedBytes", memory.points(), MemoryTimeline.Point::heapUsedBytes);
    writeColumn(json, "heapCommittedBytes", memory.points(), MemoryTimeline.Point::heapCommittedBytes);
    json.writeEndObject();
  }

  private static void writeAgent(JsonGenerator json, AgentInfo agent) throws IOException {
    json.writeObjectFieldStart("agent");
    json.writeStringField("version", agent.version());
    json.writeNumberField("pausedNs", agent.pausedNs());
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

  private static <T> void writeColumn(JsonGenerator json, String field, List<T> rows, ToLongFunction<T> value)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (T row : rows) {
      json.writeNumber(value.applyAsLong(row));
    }
    json.writeEndArray();
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
      writeCounts(json, "latencyLog2Ns", s.latencyLog2Ns());
      json.writeEndObject();
    }
    json.writeEndArray();
    if (thread.cpu() != null) {
      writeCpu(json, thread.cpu());
    }
    if (thread.time() != null) {
      // The thread's life, at its top level: short-lived threads show when they ran.
      writeInstant(json, "startedAt", thread.time().startedAt());
      writeInstant(json, "endedAt", thread.time().endedAt());
      writeTime(json, thread.time());
    }
    if (thread.offCpu() != null) {
      writeOffCpu(json, thread.offCpu());
    }
    if (thread.network() != null) {
      ThreadNetwork network = thread.network();
      json.writeObjectFieldStart("network");
      json.writeNumberField("bytesSent", network.bytesSent());
      json.writeNumberField("bytesReceived", network.bytesReceived());
      json.writeNumberField("sends", network.sends());
      json.writeNumberField("receives", network.receives());
      json.writeNumberField("connections", network.connections());
      json.writeEndObject();
    }
    MemoryJson.writeThread(json, thread.nativeMemory(), thread.pageFaults());
    json.writeEndObject();
  }

  private static void writeProcess(JsonGenerator json, ChildProcess process) throws IOException {
    json.writeStartObject();
    json.writeNumberField("pid", process.pid());
    json.writeArrayFieldStart("argv");
    for (String arg : process.argv()) {
      json.writeString(arg);
    }
    json.writeEndArray();
    json.writeStringField("thread", process.thread());
    json.writeNumberField("tid", process.tid());
    json.writeStringField("startedAt", process.startedAt().toString());
    writeNullable(json, "exitCode", process.exitCode() == null ? null : (long) process.exitCode());
    writeNullable(json, "signal", process.signal() == null ? null : (long) process.signal());
    json.writeNumberField("durationNs", process.durationNs());
    writeNullable(json, "cpuNs", process.cpuNs());
    json.writeEndObject();
  }

  private static void writeFiles(JsonGenerator json, List<FileSummary> files) throws IOException {
    json.writeArrayFieldStart("files");
    for (FileSummary file : files) {
      json.writeStartObject();
      json.writeStringField("path", file.path());
      json.writeStringField("kind", file.kind());
      json.writeNumberField("bytesRead", file.bytesRead());
      json.writeNumberField("bytesWritten", file.bytesWritten());
      json.writeNumberField("reads", file.reads());
      json.writeNumberField("writes", file.writes());
      json.writeNumberField("fsyncs", file.fsyncs());
      json.writeNumberField("totalNs", file.totalNs());
      json.writeNumberField("maxNs", file.maxNs());
      json.writeArrayFieldStart("threads");
      for (FileSummary.Thread thread : file.threads()) {
        json.writeStartObject();
        json.writeNumberField("tid", thread.tid());
        json.writeStringField("name", thread.name());
        json.writeNumberField("bytesRead", thread.bytesRead());
        json.writeNumberField("bytesWritten", thread.bytesWritten());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void writeNetworkInfo(JsonGenerator json, NetworkInfo network) throws IOException {
    json.writeObjectFieldStart("network");
    json.writeNumberField("max", network.max());
    json.writeNumberField("connections", network.connections());
    NetworkInfo.Other other = network.other();
    json.writeObjectFieldStart("other");
    json.writeNumberField("connections", other.connections());
    json.writeNumberField("bytesSent", other.bytesSent());
    json.writeNumberField("bytesReceived", other.bytesReceived());
    json.writeNumberField("sends", other.sends());
    json.writeNumberField("receives", other.receives());
    json.writeNumberField("retransmits", other.retransmits());
    json.writeNumberField("resets", other.resets());
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void writeConnections(JsonGenerator json, List<Connection> connections) throws IOException {
    json.writeArrayFieldStart("connections");
    for (Connection c : connections) {
      json.writeStartObject();
      json.writeStringField("protocol", c.protocol());
      writeEndpoint(json, "local", c.local());
      writeEndpoint(json, "remote", c.remote());
      json.writeStringField("origin", c.origin());
      json.writeNumberField("tid", c.tid());
      json.writeStringField("thread", c.thread());
      json.writeArrayFieldStart("stack");
      for (String frame : c.stack()) {
        json.writeString(frame);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("javaStack");
      for (String frame : c.javaStack()) {
        json.writeString(frame);
      }
      json.writeEndArray();
      writeInstant(json, "startedAt", c.startedAt());
      writeInstant(json, "endedAt", c.endedAt());
      json.writeNumberField("bytesSent", c.bytesSent());
      json.writeNumberField("bytesReceived", c.bytesReceived());
      json.writeNumberField("sends", c.sends());
      json.writeNumberField("receives", c.receives());
      json.writeNumberField("retransmits", c.retransmits());
      json.writeNumberField("resetsSent", c.resetsSent());
      json.writeNumberField("resetsReceived", c.resetsReceived());
      writeNullable(json, "srttUs", c.srttUs());
      json.writeStringField("state", c.state());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void writeEndpoint(JsonGenerator json, String field, Connection.Endpoint endpoint)
      throws IOException {
    if (endpoint == null) {
      json.writeNullField(field);
      return;
    }
    json.writeObjectFieldStart(field);
    json.writeStringField("address", endpoint.address());
    json.writeNumberField("port", endpoint.port());
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
    if (cpu.virtualThreadSamples() > 0) {
      json.writeNumberField("virtualThreadSamples", cpu.virtualThreadSamples());
    }
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

  private static void writeOffCpuInfo(JsonGenerator json, OffCpuInfo offCpu) throws IOException {
    json.writeObjectFieldStart("offCpu");
    json.writeNumberField("minNs", offCpu.minNs());
    json.writeNumberField("intervals", offCpu.intervals());
    json.writeNumberField("longIntervals", offCpu.longIntervals());
    json.writeNumberField("javaFrameShare", offCpu.javaFrameShare());
    json.writeEndObject();
  }

  private static void writeTime(JsonGenerator json, TimeSummary time) throws IOException {
    json.writeObjectFieldStart("time");
    json.writeNumberField("wallNs", time.wallNs());
    json.writeNumberField("onCpuNs", time.onCpuNs());
    json.writeNumberField("runQueueNs", time.runQueueNs());
    json.writeNumberField("offCpuNs", time.offCpuNs());
    writeCounts(json, "offCpuByReason", time.offCpuByReason());
    writeCounts(json, "runQueueLatencyLog2Ns", time.runQueueLatencyLog2Ns());
    json.writeEndObject();
  }

  private static void writeOffCpu(JsonGenerator json, OffCpuSummary offCpu) throws IOException {
    json.writeObjectFieldStart("offCpu");
    json.writeNumberField("javaNs", offCpu.javaNs());
    json.writeArrayFieldStart("topStacks");
    for (OffCpuSummary.Stack stack : offCpu.topStacks()) {
      json.writeStartObject();
      json.writeStringField("reason", stack.reason());
      json.writeNumberField("ns", stack.ns());
      json.writeArrayFieldStart("frames");
      for (String frame : stack.frames()) {
        json.writeString(frame);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /** An object of numbers: a histogram's buckets, or sums by name. */
  private static void writeCounts(JsonGenerator json, String field, Map<?, Long> counts) throws IOException {
    json.writeObjectFieldStart(field);
    for (Map.Entry<?, Long> count : counts.entrySet()) {
      json.writeNumberField(String.valueOf(count.getKey()), count.getValue());
    }
    json.writeEndObject();
  }

  private static void writeInstant(JsonGenerator json, String field, Instant at) throws IOException {
    if (at == null) {
      json.writeNullField(field);
    } else {
      json.writeStringField(field, at.toString());
    }
  }

  static void writeNullable(JsonGenerator json, String field, Long value) throws IOException {
    if (value == null) {
      json.writeNullField(field);
    } else {
      json.writeNumberField(field, value);
    }
  }
}
