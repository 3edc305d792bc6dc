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
 * Another JVM, without the agent, busy until killed: by default a {@code writer} thread writing
 * to /dev/null, the same syscalls from the same thread name as the workload under test, so that
 * any event the agent fails to filter by process shows up in the report; or a noisy neighbour
 * ({@link #neighbour}). Its thread ids are collected from
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
    return start(AgentRun.writer(-1), "writer");
  }

  /**
   * Starts {@code NeighbourWorkload}, a neighbour busy with files (at {@code file}), loopback
   * connections (to its own server on {@code port}), mallocs and child processes, every name it
   * uses holding {@code neighbour}; returns once its threads run.
   */
  static NoiseProcess neighbour(Path file, int port) throws IOException, InterruptedException {
    return start(AgentRun.of("io.jvmebpf.workloads.NeighbourWorkload", file.toString(), Integer.toString(port)),
        "neighbour-spawn");
  }

  private static NoiseProcess start(AgentRun run, String thread) throws IOException, InterruptedException {
    NoiseProcess noise = new NoiseProcess(run.withoutAgent().start());
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!noise.threadRuns(thread)) {
      if (!noise.process.isAlive() || System.nanoTime() > deadline) {
        noise.close();
        fail("the noise process (pid " + noise.pid() + ") never started its thread " + thread);
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

  private boolean threadRuns(String name) {
    try (Stream<Path> tasks = Files.list(tasks())) {
      return tasks.anyMatch(task -> name.equals(comm(task)));
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
