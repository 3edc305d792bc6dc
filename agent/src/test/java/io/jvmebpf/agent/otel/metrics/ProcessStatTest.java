package io.jvmebpf.agent.otel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@code /proc/self/stat} of this JVM, against what the kernel says of it elsewhere. */
class ProcessStatTest {
  @Test
  void threadsAsProcSelfStatusCountsThem() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread[] extra = new Thread[20];
    for (int i = 0; i < extra.length; i++) {
      extra[i] = new Thread(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      extra[i].start();
    }
    try {
      ProcessStat stat = ProcessStat.read();
      assertNotNull(stat);
      assertEquals(threadsFromStatus(), stat.threads());
      assertTrue(stat.threads() >= extra.length);
    } finally {
      release.countDown();
      for (Thread t : extra) {
        t.join();
      }
    }
  }

  @Test
  void cpuTicksAgreeWithTheJvmsOwnAccount() {
    // Burn some CPU so that the two accounts, in ticks and in ns, are well apart from zero.
    long until = System.nanoTime() + 300_000_000L;
    long x = 0;
    while (System.nanoTime() < until) {
      x += Long.numberOfTrailingZeros(x + 1);
    }
    ProcessStat stat = ProcessStat.read();
    double statSeconds = (stat.userTicks() + stat.systemTicks()) / ProcessStat.TICKS_PER_SECOND;
    double jvmSeconds = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
    assertTrue(Math.abs(statSeconds - jvmSeconds) < 0.05 + jvmSeconds * 0.02,
        "stat " + statSeconds + " s, JVM " + jvmSeconds + " s (" + x + ")");
    assertTrue(stat.minorFaults() > 0);
  }

  @Test
  void parsesACommandWithSpacesAndParentheses() {
    ProcessStat stat = ProcessStat.parse("4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 1500 0 7 0 250 40 0 0 20 0 33"
        + " 0 12345 1000000 500 18446744073709551615");
    assertEquals(new ProcessStat(1500, 7, 250, 40, 33), stat);
  }

  private static long threadsFromStatus() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Threads:")) {
        return Long.parseLong(line.substring("Threads:".length()).trim());
      }
    }
    throw new AssertionError("no Threads: line");
  }
}
