package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Another JVM, without the agent, whose {@code writer} thread writes to /dev/null until killed:
 * the same syscalls from the same thread name as the workload under test, so that any event the
 * agent fails to filter by process shows up in the report. Its thread ids are collected from
 * {@code /proc/<pid>/task} every 50 ms while it runs, threads that come and go included.
 */
final class NoiseProcess implements AutoCloseable {
  private final Process process;
  private final Set<Long> tids = ConcurrentHashMap.newKeySet();
  private final Thread poller;

  private NoiseProcess(Process process) {
    this.process = process;
    this.poller = Thread.ofPlatform().daemon().name("noise-tids").start(this::pollUntilClosed);
  }

  /** Starts the noise and returns once its writer thread runs. */
  static NoiseProcess start() throws IOException, InterruptedException {
    NoiseProcess noise = new NoiseProcess(AgentRun.writer(-1).withoutAgent().start());
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!noise.writerRuns()) {
      if (!noise.process.isAlive() || System.nanoTime() > deadline) {
        noise.close();
        fail("the noise process (pid " + noise.pid() + ") never started its writer thread");
      }
      Thread.sleep(20);
    }
    return noise;
  }

  long pid() {
    return process.pid();
  }

  /** Every thread id seen in the noise process so far. */
  Set<Long> tids() {
    collectTids();
    return Set.copyOf(tids);
  }

  private Path tasks() {
    return Path.of("/proc", Long.toString(process.pid()), "task");
  }

  private boolean writerRuns() {
    try (Stream<Path> tasks = Files.list(tasks())) {
      return tasks.anyMatch(task -> "writer".equals(comm(task)));
    } catch (IOException e) {
      return false;
    }
  }

  private static String comm(Path task) {
    try {
      return Files.readString(task.resolve("comm")).strip();
    } catch (IOException e) {
      return ""; // the thread ended
    }
  }

  private void collectTids() {
    try (Stream<Path> tasks = Files.list(tasks())) {
      tasks.forEach(task -> tids.add(Long.parseLong(task.getFileName().toString())));
    } catch (IOException e) {
      // The process is gone: nothing more to collect.
    }
  }

  private void pollUntilClosed() {
    while (!Thread.currentThread().isInterrupted() && process.isAlive()) {
      collectTids();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    poller.interrupt();
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
