package io.jvmebpf.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What of the agent a process holds, read from the kernel's own account ({@code /proc/PID/fd},
 * {@code fdinfo}, {@code task/TID/comm}): BPF programs, maps and links by their kernel ids, perf
 * events, and threads named {@code jvm-ebpf-*}.
 */
final class BpfResidue {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BpfResidue() {}

  /** Each fd that is a BPF object or a perf event: {@code "bpf-prog id=12"}, {@code "bpf_link id=3"}... */
  static List<String> bpfFds(long pid) throws IOException {
    List<String> found = new ArrayList<>();
    Path fds = Path.of("/proc", Long.toString(pid), "fd");
    try (Stream<Path> list = Files.list(fds)) {
      for (Path fd : list.toList()) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed meanwhile
        }
        if (target.startsWith("anon_inode:bpf") || target.contains("perf_event")) {
          found.add(target + " " + ids(pid, fd.getFileName().toString()));
        }
      }
    }
    return found;
  }

  /** The kernel ids of the BPF programs and links the process holds fds of. */
  static Set<String> kernelIds(long pid, String key) throws IOException {
    Set<String> ids = new TreeSet<>();
    Path fds = Path.of("/proc", Long.toString(pid), "fd");
    try (Stream<Path> list = Files.list(fds)) {
      for (Path fd : list.toList()) {
        for (String line : fdinfo(pid, fd.getFileName().toString())) {
          if (line.startsWith(key + ":")) {
            ids.add(line.substring(key.length() + 1).trim());
          }
        }
      }
    }
    return ids;
  }

  private static String ids(long pid, String fd) {
    return String.join(" ", fdinfo(pid, fd).stream().filter(l -> l.matches("(prog_id|map_id|link_id):.*")).toList());
  }

  private static List<String> fdinfo(long pid, String fd) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", fd));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Threads of the process whose kernel name starts with {@code jvm-ebpf-}. */
  static List<String> agentThreads(long pid) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String comm = Files.readString(task.resolve("comm")).strip();
          if (comm.startsWith("jvm-ebpf-")) {
            names.add(comm + " tid=" + task.getFileName());
          }
        } catch (IOException e) {
          // ended meanwhile
        }
      }
    }
    return names;
  }

  /** Whether none of {@code ids} is in bpftool's list of {@code kind} (prog, link or map), waiting up to 5 s. */
  static boolean untilGone(Set<String> ids, String kind) throws Exception {
    for (int i = 0; i < 50; i++) {
      Set<String> listed = new HashSet<>();
      for (JsonNode entry : JSON.readTree(bpftool("-j", kind, "show"))) {
        listed.add(entry.path("id").asText());
      }
      listed.retainAll(ids);
      if (listed.isEmpty()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** bpftool's stdout, or null when it does not run. */
  static String bpftool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bpftool"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
