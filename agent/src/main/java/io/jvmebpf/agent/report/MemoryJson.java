package io.jvmebpf.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** The memory parts of {@code summary.json}: per thread, and the top-level {@code memory}. */
final class MemoryJson {
  private MemoryJson() {}

  static void writeThread(JsonGenerator json, NativeMemory allocations, PageFaults faults) throws IOException {
    if (allocations != null) {
      json.writeObjectFieldStart("nativeMemory");
      json.writeNumberField("mallocCalls", allocations.mallocCalls());
      json.writeNumberField("mallocBytes", allocations.mallocBytes());
      json.writeNumberField("freeCalls", allocations.freeCalls());
      json.writeNumberField("outstandingBytes", allocations.outstandingBytes());
      json.writeNumberField("outstandingAllocations", allocations.outstandingAllocations());
      json.writeNumberField("mmapCalls", allocations.mmapCalls());
      json.writeNumberField("mmapBytes", allocations.mmapBytes());
      json.writeNumberField("munmapCalls", allocations.munmapCalls());
      json.writeNumberField("munmapBytes", allocations.munmapBytes());
      json.writeNumberField("brkCalls", allocations.brkCalls());
      json.writeNumberField("brkBytes", allocations.brkBytes());
      json.writeEndObject();
    }
    if (faults != null) {
      json.writeObjectFieldStart("pageFaults");
      json.writeNumberField("faults", faults.faults());
      SummaryJsonWriter.writeNullable(json, "minor", faults.minor());
      SummaryJsonWriter.writeNullable(json, "major", faults.major());
      json.writeEndObject();
    }
  }

  static void writeMemory(JsonGenerator json, MemoryInfo info, JavaHeapInfo heap) throws IOException {
    json.writeObjectFieldStart("memory");
    if (info != null) {
      writeNative(json, info);
      if (info.pageFaults() != null) {
        json.writeNumberField("pageFaults", info.pageFaults());
      }
    }
    if (heap != null) {
      writeHeap(json, heap);
    }
    json.writeEndObject();
  }

  private static void writeNative(JsonGenerator json, MemoryInfo info) throws IOException {
    if (!info.nativeOn()) {
      return;
    }
    json.writeObjectFieldStart("native");
    json.writeNumberField("sampleBytes", info.sampleBytes());
    json.writeNumberField("maxBlocks", info.maxBlocks());
    json.writeNumberField("mallocCalls", info.mallocCalls());
    json.writeNumberField("mallocBytes", info.mallocBytes());
    json.writeNumberField("freeCalls", info.freeCalls());
    json.writeNumberField("outstandingBytes", info.outstandingBytes());
    json.writeNumberField("outstandingAllocations", info.outstandingAllocations());
    json.writeNumberField("trackedBlocks", info.trackedBlocks());
    json.writeArrayFieldStart("topOutstanding");
    for (MemoryInfo.Outstanding held : info.topOutstanding()) {
      json.writeStartObject();
      json.writeNumberField("tid", held.tid());
      json.writeStringField("thread", held.thread());
      json.writeNumberField("bytes", held.bytes());
      json.writeNumberField("allocations", held.allocations());
      json.writeStringField("oldestAt", held.oldestAt().toString());
      json.writeArrayFieldStart("stack");
      for (String frame : held.stack()) {
        json.writeString(frame);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeHeap(JsonGenerator json, JavaHeapInfo heap) throws IOException {
    json.writeObjectFieldStart("java");
    json.writeNumberField("allocationSamples", heap.allocationSamples());
    json.writeNumberField("allocatedBytes", heap.allocatedBytes());
    json.writeArrayFieldStart("topClasses");
    for (JavaHeapInfo.ClassBytes allocated : heap.topClasses()) {
      json.writeStartObject();
      json.writeStringField("class", allocated.className());
      json.writeNumberField("bytes", allocated.bytes());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeNumberField("collections", heap.collections());
    json.writeArrayFieldStart("gcs");
    for (JavaHeapInfo.Gc gc : heap.gcs()) {
      json.writeStartObject();
      json.writeNumberField("id", gc.id());
      json.writeStringField("at", gc.at().toString());
      json.writeNumberField("heapUsedBeforeBytes", gc.heapUsedBeforeBytes());
      json.writeNumberField("heapUsedAfterBytes", gc.heapUsedAfterBytes());
      json.writeEndObject();
    }
    json.writeEndArray();
    if (!heap.nmt().isEmpty()) {
      json.writeObjectFieldStart("nmt");
      for (Map.Entry<String, JavaHeapInfo.Nmt> category : new TreeMap<>(heap.nmt()).entrySet()) {
        json.writeObjectFieldStart(category.getKey());
        json.writeNumberField("reservedBytes", category.getValue().reservedBytes());
        json.writeNumberField("committedBytes", category.getValue().committedBytes());
        json.writeEndObject();
      }
      json.writeEndObject();
    }
    json.writeEndObject();
  }
}
