package io.jvmebpf.agent.probe.offcpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The threads of this process now, from {@code /proc/self/task}. */
final class ProcessTasks {
  private ProcessTasks() {}

  static List<Integer> tids() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
          .map(Integer::valueOf).toList();
    } catch (IOException | RuntimeException e) {
      return List.of(); // no thread is left out of what the kernel saw, only those it did not
    }
  }
}
