package io.jvmebpf.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.SynchronousQueue;
import java.util.stream.Stream;

/**
 * The measured loop of {@code bench/vthread-mounts}: two virtual threads hand an item over a
 * {@link SynchronousQueue}, so each hand-off unmounts one and mounts the other: the most mounts a
 * pair of virtual threads makes, the worst case for work done at each mount. After the warm-up,
 * times N hand-offs and prints {@code ns/op=<mean wall time per hand-off>}, {@code cpu-ns/op=<the
 * carriers' CPU time per hand-off>} (their schedstat: on a machine shared with other work, wall
 * time also counts the others' turns on the CPU) and {@code handoffs=<all of them, warm-up
 * included>}. Virtual threads through reflection (compiled for Java 17, runs on 21+).
 * Usage: {@code VirtualHandoffLoop N [WARMUP_SECONDS]}
 */
public final class VirtualHandoffLoop {
  private VirtualHandoffLoop() {}

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    long warmupNanos = (long) (1e9 * (args.length > 1 ? Double.parseDouble(args[1]) : 1));
    SynchronousQueue<Long> queue = new SynchronousQueue<>();
    long[] result = new long[3]; // elapsed ns, hand-offs, carriers' CPU ns
    Thread taker = VirtualThreadsWorkload.startVirtual("taker", () -> {
      try {
        while (queue.take() >= 0) {
          // each take is one hand-off
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Thread giver = VirtualThreadsWorkload.startVirtual("giver", () -> {
      try {
        long handoffs = 0;
        long warmUntil = System.nanoTime() + warmupNanos;
        while (System.nanoTime() < warmUntil) {
          for (int i = 0; i < 10_000; i++, handoffs++) {
            queue.put(handoffs);
          }
        }
        long cpuStart = carriersCpuNs();
        long start = System.nanoTime();
        for (long i = 0; i < n; i++, handoffs++) {
          queue.put(handoffs);
        }
        result[0] = System.nanoTime() - start;
        result[2] = carriersCpuNs() - cpuStart;
        result[1] = handoffs;
        queue.put(-1L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    giver.join();
    taker.join();
    System.out.printf("ns/op=%.1f%ncpu-ns/op=%.1f%nhandoffs=%d%n", (double) result[0] / n, (double) result[2] / n,
        result[1]);
  }

  /** On-CPU ns of the default scheduler's carriers so far (comm "ForkJoinPool-1-", cut at 15). */
  static long carriersCpuNs() {
    long sum = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          if (Files.readString(task.resolve("comm")).startsWith("ForkJoinPool")) {
            sum += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
          }
        } catch (IOException e) {
          // a thread that ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return sum;
  }
}
