package io.jvmebpf.workloads;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual threads with known roles: {@code burner-N} spin 50 ms on CPU, {@code sleeper-N} sleep
 * 50 ms, all started at once on the default scheduler, so the carriers
 * ({@code ForkJoinPool-1-worker-N}) run burners nearly all the time they run. Prints the wall time,
 * how many of each ended, and the time the sleepers' {@code Thread.sleep} calls took as they
 * measured it: 50 ms asleep, then as long as it took a carrier busy with burners to run them again. Virtual threads are reached through reflection: the workloads are
 * compiled for Java 17, and this one needs a JVM 21+.
 * With WRITERS, {@code writer-N} virtual threads each make exactly WRITES one-byte write(2) calls
 * to /dev/null.
 * Usage: {@code VirtualThreadsWorkload DELAY_MS BURNERS SLEEPERS [MILLIS [WRITERS WRITES]]}: after
 * DELAY_MS, time for an agent to be ready (virtual threads mounted before it follows them are
 * their carriers').
 */
public final class VirtualThreadsWorkload {
  static volatile long sink;
  private static final AtomicLong sleptNs = new AtomicLong();

  private VirtualThreadsWorkload() {}

  public static void main(String[] args) throws Exception {
    Thread.sleep(Long.parseLong(args[0]));
    int burners = Integer.parseInt(args[1]);
    int sleepers = Integer.parseInt(args[2]);
    long millis = args.length > 3 ? Long.parseLong(args[3]) : 50;
    int writers = args.length > 5 ? Integer.parseInt(args[4]) : 0;
    int writes = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    long started = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      threads.add(startVirtual("writer-" + i, () -> write(writes)));
    }
    for (int i = 0; i < Math.max(burners, sleepers); i++) {
      if (i < burners) {
        threads.add(startVirtual("burner-" + i, () -> burn(millis)));
      }
      if (i < sleepers) {
        threads.add(startVirtual("sleeper-" + i, () -> sleep(millis)));
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    System.out.println("virtual threads ended: " + threads.size() + " (" + burners + " burners, " + sleepers
        + " sleepers) in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    System.out.println("sleepers slept-ns=" + sleptNs.get());
    Thread.sleep(1500); // JFR hands its records over about once a second: the last sleeps' too

  }

  /** Thread.ofVirtual().name(name).start(task), on Java 21+. */
  static Thread startVirtual(String name, Runnable task) throws Exception {
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
    builder = ofVirtual.getMethod("name", String.class).invoke(builder, name);
    Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
    return (Thread) start.invoke(builder, task);
  }

  static void burn(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    long x = 1;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
    }
    sink = x;
  }

  static void write(int writes) {
    try (FileOutputStream out = new FileOutputStream("/dev/null")) {
      for (int i = 0; i < writes; i++) {
        out.write(i); // one write(2) each
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    long start = System.nanoTime();
    try {
      Thread.sleep(millis);
      sleptNs.addAndGet(System.nanoTime() - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
