package io.jvmebpf.workloads;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The README's demo: a few named threads with known work, so the report has something to show.
 * {@code writer} makes 2,000 writes of 4 KiB to a temporary file, {@code reader} reads them back in
 * 2,000 reads, {@code sleeper} sleeps 20 times 20 ms, {@code spinner} burns CPU for about a second,
 * {@code fetcher} sends 1 MiB over loopback to {@code server}, which answers with 100 KiB.
 * It starts after a second: the agent's JFR stream, which names the Java frames the kernel cannot
 * (a sleep's, a monitor's), starts in the background meanwhile, and so short a run should show
 * the agent in its steady state.
 */
public final class DemoWorkload {
  private static final int BLOCKS = 2_000;
  private static final int BLOCK = 4096;
  private static final int REQUEST = 1 << 20;
  private static final int RESPONSE = 100 << 10;

  private DemoWorkload() {}

  public static void main(String[] args) throws Exception {
    Thread.sleep(1000);
    Path file = Files.createTempFile("jvm-ebpf-demo", ".bin");
    CountDownLatch written = new CountDownLatch(1);
    Thread writer = new Thread(() -> { writeBlocks(file); written.countDown(); }, "writer");
    Thread reader = new Thread(() -> { await(written); readBlocks(file); }, "reader");
    Thread sleeper = new Thread(DemoWorkload::sleepALittle, "sleeper");
    Thread spinner = new Thread(DemoWorkload::spin, "spinner");
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> serve(listening), "server");
      Thread fetcher = new Thread(() -> fetch(listening.getLocalPort()), "fetcher");
      Thread[] all = {writer, reader, sleeper, spinner, server, fetcher};
      for (Thread t : all) {
        t.start();
      }
      for (Thread t : all) {
        t.join();
      }
    }
    Files.delete(file);
    System.out.println("demo workload done: writer wrote " + BLOCKS + " blocks, reader read them,"
        + " sleeper slept 20 x 20 ms, spinner spun ~1 s, fetcher sent 1 MiB to server and got 100 KiB back");
  }

  private static void writeBlocks(Path file) {
    byte[] block = new byte[BLOCK];
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      for (int i = 0; i < BLOCKS; i++) {
        out.write(block);
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void readBlocks(Path file) {
    byte[] block = new byte[BLOCK];
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      for (int i = 0; i < BLOCKS; i++) {
        in.readFully(block);
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void serve(ServerSocket listening) {
    try (Socket accepted = listening.accept()) {
      accepted.getInputStream().readNBytes(REQUEST);
      accepted.getOutputStream().write(new byte[RESPONSE]);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void fetch(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write(new byte[REQUEST]);
      socket.getInputStream().readNBytes(RESPONSE);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void sleepALittle() {
    for (int i = 0; i < 20; i++) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void spin() {
    long end = System.nanoTime() + 1_000_000_000L;
    double x = 0;
    while (System.nanoTime() < end) {
      x += Math.sqrt(x + 1);
    }
    if (x == 42) {
      System.out.println(x);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
