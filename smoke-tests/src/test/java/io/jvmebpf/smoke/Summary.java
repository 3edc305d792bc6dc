package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read access to a {@code summary.json}, by the field names of the agent's SummaryJsonWriter (a
 * contract: fields are added, never renamed). Missing fields fail the test, never default.
 */
record Summary(JsonNode root) {

  long pid() {
    return required(root.path("process"), "pid").asLong();
  }

  String feature(String name) {
    return required(root.path("agent").path("features"), name).asText();
  }

  /** A field of {@code agent.overhead}; may be a JSON null (bpfRunNs, bpfRunCount). */
  /** {@code agent.dropped.<name>}; fails when the counter is not there. */
  long dropped(String name) {
    return required(required(required(root, "agent"), "dropped"), name).asLong();
  }

  JsonNode overhead(String field) {
    return required(root.path("agent").path("overhead"), field);
  }

  List<JsonNode> threads() {
    JsonNode threads = required(root, "threads");
    assertTrue(threads.isArray(), "threads is not an array: " + threads);
    List<JsonNode> list = new ArrayList<>();
    threads.forEach(list::add);
    return list;
  }

  List<JsonNode> threadsNamed(String name) {
    return threads().stream().filter(t -> name.equals(t.path("name").asText(null))).toList();
  }

  /** The one thread with this name; fails when there is none or more than one. */
  JsonNode onlyThread(String name) {
    List<JsonNode> named = threadsNamed(name);
    assertEquals(1, named.size(), "threads named '" + name + "' in the report: " + named);
    return named.get(0);
  }

  static long tid(JsonNode thread) {
    return required(thread, "tid").asLong();
  }

  static List<JsonNode> syscalls(JsonNode thread) {
    List<JsonNode> list = new ArrayList<>();
    required(thread, "syscalls").forEach(list::add);
    return list;
  }

  static Optional<JsonNode> syscall(JsonNode thread, String name) {
    return syscalls(thread).stream().filter(s -> name.equals(s.path("name").asText())).findFirst();
  }

  /** The top-level {@code cpu} section: the sampler as a whole. */
  JsonNode cpu() {
    return required(root, "cpu");
  }

  /** A thread's {@code cpu.topFrames}: name to samples. */
  static java.util.Map<String, Long> topFrames(JsonNode thread) {
    java.util.Map<String, Long> frames = new java.util.LinkedHashMap<>();
    required(required(thread, "cpu"), "topFrames")
        .forEach(f -> frames.merge(required(f, "name").asText(), required(f, "samples").asLong(), Long::sum));
    return frames;
  }

  /** The {@code files} row of {@code path}; fails when there is none. */
  JsonNode file(String path) {
    JsonNode files = required(root, "files");
    for (JsonNode file : files) {
      if (path.equals(required(file, "path").asText())) {
        return file;
      }
    }
    throw new AssertionError("no file '" + path + "' in files: " + files);
  }

  static JsonNode required(JsonNode node, String field) {
    assertTrue(node.has(field), "no field '" + field + "' in " + node);
    return node.get(field);
  }
}
