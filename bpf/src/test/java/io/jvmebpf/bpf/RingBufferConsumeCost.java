package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * What {@link RingBuffer#consume} costs the consuming thread per record: fills threads.bpf.c's
 * ring buffer with thread exits (the kernel does that work, not the consumer), then times the
 * consumer's CPU around draining it, round after round in one fresh JVM, so that the first rounds
 * show the cold (interpreted) cost the agent pays at a few hundred records per second, and the
 * last ones the JIT-compiled cost. Not a test: {@code bench/ringbuf-consume} runs it.
 *
 * <p>Arguments: records per round (default 40, a 200 ms poll of the CPU profiler's ~200 records
 * per second; at most 6553, the 40-byte records that fit in 256 KiB), rounds (default 200).
 */
final class RingBufferConsumeCost {
  private static long sink;

  private RingBufferConsumeCost() {}

  public static void main(String[] args) throws Exception {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    com.sun.management.ThreadMXBean cpu =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      object.attachAll();
      BpfMap exits = object.map("thread_exits");
      try (RingBuffer ring = RingBuffer.open(exits, e -> sink += e.get(JAVA_INT, 0))) {
        double[] nsPerRecord = new double[rounds];
        double[] bytesPerRecord = new double[rounds];
        long records = 0;
        long totalNs = 0;
        for (int round = 0; round < rounds; round++) {
          // Another thread starts the exiting threads, so the consumer's caches see only what a
          // poll thread's would: the ring, and its own code and data.
          Thread producer = new Thread(() -> exitThreads(perRound));
          producer.start();
          producer.join();
          Thread.sleep(50); // the last exits reach the probe a little after join()
          long allocated = cpu.getCurrentThreadAllocatedBytes();
          long start = cpu.getCurrentThreadCpuTime();
          int n = ring.consume();
          long ns = cpu.getCurrentThreadCpuTime() - start;
          long bytes = cpu.getCurrentThreadAllocatedBytes() - allocated;
          bytesPerRecord[round] = (double) bytes / Math.max(1, n);
          nsPerRecord[round] = (double) ns / Math.max(1, n);
          if (System.getProperty("verbose") != null) {
            double perRecord = nsPerRecord[round];
            System.out.printf("round %d: %d records, %.0f ns/record%n", round, n, perRecord);
          }
          records += n;
          totalNs += ns;
        }
        System.out.printf("records/round=%d rounds=%d records=%d lost=%d%n",
            perRound, rounds, records, object.map("lost_exits").counter(0));
        System.out.printf("ns/record: first round %.0f, rounds 1-10 median %.0f,"
                + " last half median %.0f, all rounds mean %.0f%n",
            nsPerRecord[0], median(nsPerRecord, 1, Math.min(11, rounds)),
            median(nsPerRecord, rounds / 2, rounds), (double) totalNs / records);
        System.out.printf("bytes allocated/record: first round %.0f, last half median %.0f%n",
            bytesPerRecord[0], median(bytesPerRecord, rounds / 2, rounds));
      }
    }
  }

  private static double median(double[] values, int from, int to) {
    double[] range = Arrays.copyOfRange(values, from, to);
    Arrays.sort(range);
    return range.length == 0 ? Double.NaN : range[range.length / 2];
  }

  private static void exitThreads(int n) {
    try {
      for (int i = 0; i < n; i++) {
        Thread t = new Thread(() -> {});
        t.start();
        t.join();
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
