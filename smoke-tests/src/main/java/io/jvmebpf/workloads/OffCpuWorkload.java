package io.jvmebpf.workloads;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * Off-CPU time with known answers, all scenarios at once in named threads:
 * <ul>
 *   <li>{@code sleeper}: {@code Thread.sleep(200)} five times from {@code sleepFiveTimes};
 *   <li>{@code holder} holds a monitor three times for 300 ms (asleep inside), and each time
 *       {@code contender} tries to enter it only once it is held, so it really blocks;
 *   <li>{@code spinner-0..N-1}: N = cores + 2 threads on pure CPU for 3 s, so that runnable threads
 *       queue for a CPU; {@code idle} waits on a latch all along and is released after them;
 *   <li>{@code piper}: one read(2) on a pipe, blocked 200 ms until main writes a byte.
 * </ul>
 * Every scenario thread times itself from the start to the end of its run(); at the end the
 * workload prints what the JVM measured, the truth to compare the kernel's figures with:
 * {@code wall-ns name=ns ...}, {@code sleep-ns sleeper=}, {@code monitor-wait-ns contender=},
 * {@code read-blocked-ns piper=}.
 *
 * <p>Usage: {@code OffCpuWorkload [SETTLE_SECONDS]}: the scenarios start after SETTLE_SECONDS
 * (default 1), by when the agent's JFR recording, which gives off-CPU stacks their Java frames and
 * takes a few hundred ms to start, is running.
 */
public final class OffCpuWorkload {
  static final int SLEEPS = 5;
  static final long SLEEP_MS = 200;
  static final int HOLDS = 3;
  static final long HOLD_MS = 300;
  static final long SPIN_MS = 3000;
  static final long PIPE_DELAY_MS = 200;

  private static final Map<String, Long> wallNs = new ConcurrentHashMap<>();
  private static final CountDownLatch go = new CountDownLatch(1);
  private static volatile Throwable failure;

  private static long sleepNs;
  private static long monitorWaitNs;
  private static long readBlockedNs;

  private OffCpuWorkload() {}

  public static void main(String[] args) throws Exception {
    Thread.sleep((long) (1000 * (args.length > 0 ? Double.parseDouble(args[0]) : 1)));
    Pipe pipe = Pipe.open();
    CountDownLatch release = new CountDownLatch(1);
    Object lock = new Object();
    Semaphore held = new Semaphore(0);
    Semaphore entered = new Semaphore(0);
    // The quiet ones first, the spinners last: a thread started among spinners may queue before
    // its run() begins, time the kernel sees and the thread's own clock does not.
    List<Thread> threads = new ArrayList<>();
    threads.add(scenario("sleeper", OffCpuWorkload::sleepFiveTimes));
    threads.add(scenario("holder", () -> hold(lock, held, entered)));
    threads.add(scenario("contender", () -> contend(lock, held, entered)));
    threads.add(scenario("piper", () -> readOneByte(pipe.source())));
    // Not woken by the start either, when the spinners take both CPUs: it blocks from its first moment.
    Thread idle = scenario("idle", release::await, false);
    threads.add(idle);
    int spinners = Runtime.getRuntime().availableProcessors() + 2;
    for (int i = 0; i < spinners; i++) {
      threads.add(scenario("spinner-" + i, OffCpuWorkload::spin));
    }
    threads.forEach(Thread::start);
    go.countDown();
    Thread.sleep(PIPE_DELAY_MS);
    pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
    for (Thread t : threads) {
      if (t != idle) {
        t.join();
      }
    }
    // Released once the spinners are done, so that idle has no reason to queue for a CPU.
    release.countDown();
    idle.join();
    if (failure != null) {
      failure.printStackTrace();
      System.exit(1);
    }
    StringBuilder walls = new StringBuilder("wall-ns");
    threads.forEach(t -> walls.append(' ').append(t.getName()).append('=').append(wallNs.get(t.getName())));
    System.out.println(walls);
    System.out.println("sleep-ns sleeper=" + sleepNs);
    System.out.println("monitor-wait-ns contender=" + monitorWaitNs);
    System.out.println("read-blocked-ns piper=" + readBlockedNs);
  }

  interface Body {
    void run() throws Exception;
  }

  /** A thread that waits for the common start, runs the body, and records its run()'s wall time. */
  private static Thread scenario(String name, Body body) {
    return scenario(name, body, true);
  }

  private static Thread scenario(String name, Body body, boolean waitsForStart) {
    return new Thread(() -> {
      long start = System.nanoTime();
      try {
        if (waitsForStart) {
          go.await();
        }
        body.run();
      } catch (Throwable e) {
        failure = e;
      }
      wallNs.put(name, System.nanoTime() - start);
    }, name);
  }

  /** Calls Thread.sleep itself, so that the sleeps' stacks hold both. */
  static void sleepFiveTimes() throws InterruptedException {
    long total = 0;
    for (int i = 0; i < SLEEPS; i++) {
      long start = System.nanoTime();
      Thread.sleep(SLEEP_MS);
      total += System.nanoTime() - start;
    }
    sleepNs = total; // published to main by Thread.join
  }

  private static void hold(Object lock, Semaphore held, Semaphore entered) throws InterruptedException {
    for (int i = 0; i < HOLDS; i++) {
      synchronized (lock) {
        held.release();
        Thread.sleep(HOLD_MS);
      }
      entered.acquire(); // not again before the contender got in: each round it must block anew
    }
  }

  private static void contend(Object lock, Semaphore held, Semaphore entered) throws InterruptedException {
    long waited = 0;
    for (int i = 0; i < HOLDS; i++) {
      held.acquire();
      long start = System.nanoTime();
      synchronized (lock) {
        waited += System.nanoTime() - start;
      }
      entered.release();
    }
    monitorWaitNs = waited;
  }

  private static void readOneByte(Pipe.SourceChannel source) throws Exception {
    ByteBuffer one = ByteBuffer.allocate(1);
    long start = System.nanoTime();
    int n = source.read(one); // blocking channel: one read(2), until main writes
    readBlockedNs = System.nanoTime() - start;
    if (n != 1) {
      throw new IllegalStateException("read " + n + " bytes");
    }
  }

  /** Pure CPU, no syscalls (System.nanoTime is a vDSO call): runnable all along. */
  private static void spin() {
    CpuWorkload.spinB(System.nanoTime() + SPIN_MS * 1_000_000);
  }
}
