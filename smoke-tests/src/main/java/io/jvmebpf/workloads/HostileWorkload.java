package io.jvmebpf.workloads;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The workloads that try to make the agent's memory grow: {@code threads N} creates and ends N
 * threads, 100 alive at a time; {@code connections N} makes N short loopback TCP connections (one
 * byte each way); {@code malloc N} allocates N direct buffers of 4 KiB (malloc), freed as they are
 * collected; {@code syscalls N} makes N one-byte writes to /dev/null from two threads. Prints
 * {@code MODE N ops in MS ms: R ops/s} and {@code peak-rss-kb K} (VmHWM) at the end.
 * Usage: {@code HostileWorkload MODE N}.
 */
public final class HostileWorkload {
  private static volatile long sink;

  private HostileWorkload() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    long n = Long.parseLong(args[1]);
    long started = System.nanoTime();
    switch (mode) {
      case "threads" -> threads(n);
      case "connections" -> connections(n);
      case "malloc" -> malloc(n);
      case "syscalls" -> syscalls(n);
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
    long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
    System.out.println(mode + " " + n + " ops in " + ms + " ms: " + n * 1000 / ms + " ops/s");
    System.out.println("peak-rss-kb " + peakRssKb());
  }

  private static void threads(long n) throws InterruptedException {
    for (long done = 0; done < n; done += 100) {
      List<Thread> batch = new ArrayList<>();
      for (int i = 0; i < 100 && done + i < n; i++) {
        Thread thread = new Thread(() -> sink++, "short-" + (done + i));
        thread.start();
        batch.add(thread);
      }
      for (Thread thread : batch) {
        thread.join();
      }
    }
  }

  private static void connections(long n) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        for (long i = 0; i < n; i++) {
          try (Socket socket = server.accept()) {
            socket.getOutputStream().write(socket.getInputStream().read());
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      }, "acceptor");
      acceptor.start();
      for (long i = 0; i < n; i++) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
          OutputStream out = socket.getOutputStream();
          InputStream in = socket.getInputStream();
          out.write(1);
          sink += in.read();
        }
      }
      acceptor.join();
    }
  }

  private static void malloc(long n) {
    for (long i = 0; i < n; i++) {
      sink += ByteBuffer.allocateDirect(4096).capacity();
    }
  }

  private static void syscalls(long n) throws InterruptedException {
    Thread[] writers = new Thread[2];
    for (int t = 0; t < writers.length; t++) {
      writers[t] = new Thread(() -> {
        try (FileOutputStream out = new FileOutputStream("/dev/null")) {
          for (long i = 0; i < n / writers.length; i++) {
            out.write(1);
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, "syscalls-" + t);
      writers[t].start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
  }

  private static long peakRssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
