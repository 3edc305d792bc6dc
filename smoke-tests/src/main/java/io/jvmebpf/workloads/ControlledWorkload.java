package io.jvmebpf.workloads;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A long-running JVM that a test attaches the agent to, stops it, and attaches it again: a thread
 * {@code spinner} burns CPU in {@link #spin} the whole time (samples for the CPU profile), and the
 * thread {@code writer} makes exactly as many one-byte {@code write(2)} calls to /dev/null as each
 * line {@code write N} on stdin asks, then prints {@code wrote N}. {@code exit} ends the JVM.
 */
public final class ControlledWorkload {
  private static volatile long sink;

  private ControlledWorkload() {}

  public static void main(String[] args) throws Exception {
    Thread spinner = new Thread(ControlledWorkload::spin, "spinner");
    spinner.setDaemon(true);
    spinner.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
      if (line.startsWith("write ")) {
        long writes = Long.parseLong(line.substring("write ".length()));
        Thread writer = new Thread(() -> DevNull.write(writes), "writer");
        writer.start();
        writer.join();
        System.out.println("wrote " + writes);
      }
    }
  }

  static void spin() {
    long x = 1;
    while (true) {
      for (int i = 0; i < 1_000_000; i++) {
        x = x * 6364136223846793005L + i;
      }
      sink = x;
      try {
        Thread.sleep(1); // spins most of the time, leaves the 2-CPU machine room for the rest
      } catch (InterruptedException e) {
        return;
      }
    }
  }

}
