package io.jvmebpf.workloads;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A CPU profile with a known answer: thread {@code spin-a} runs {@code spinA()} all the time,
 * thread {@code spin-b} runs {@code spinB()} half the time (on for 5 to 15 ms at random, then asleep
 * as long: a fixed 10 ms would beat with a 10 ms sampling clock), so their samples stand 2:1; with {@code syscalls}, thread {@code syscaller} also makes one-byte writes to
 * /dev/null, which puts kernel frames under its Java frames. At the end it prints each thread's
 * CPU time as the JVM measured it, the ground truth to compare the profile with.
 * Usage: {@code CpuWorkload SECONDS [syscalls]}
 */
public final class CpuWorkload {
  private static volatile boolean running = true;
  static volatile long sink;

  private CpuWorkload() {}

  public static void main(String[] args) throws Exception {
    long millis = (long) (Double.parseDouble(args[0]) * 1000);
    List<Thread> threads = new ArrayList<>();
    threads.add(new Thread(CpuWorkload::spinA, "spin-a"));
    threads.add(new Thread(CpuWorkload::spinBHalfTheTime, "spin-b"));
    if (args.length > 1 && args[1].equals("syscalls")) {
      threads.add(new Thread(CpuWorkload::writeBytes, "syscaller"));
    }
    threads.forEach(Thread::start);
    Thread.sleep(millis);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder cpu = new StringBuilder("cpu-ns");
    for (Thread t : threads) {
      cpu.append(' ').append(t.getName()).append('=').append(mx.getThreadCpuTime(t.getId()));
    }
    running = false;
    for (Thread t : threads) {
      t.join();
    }
    System.out.println(cpu);
  }

  static void spinA() {
    long x = 1;
    while (running) {
      for (int i = 0; i < 100_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
    }
    sink = x;
  }

  private static void spinBHalfTheTime() {
    java.util.Random random = new java.util.Random(42);
    while (running) {
      long nanos = 5_000_000 + random.nextInt(10_000_000);
      spinB(System.nanoTime() + nanos);
      try {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  static void spinB(long until) {
    long x = 1;
    while (System.nanoTime() < until) {
      for (int i = 0; i < 10_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
    }
    sink = x;
  }

  private static void writeBytes() {
    try (FileOutputStream out = new FileOutputStream("/dev/null")) {
      while (running) {
        out.write(1);
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
