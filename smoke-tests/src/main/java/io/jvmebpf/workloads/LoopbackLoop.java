package io.jvmebpf.workloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The measured loop of {@code bench/net-overhead}, over one loopback TCP connection in this JVM,
 * after a 2 s warm-up on the same connection:
 * <ul>
 *   <li>{@code stream64k N}: a thread named {@code bench} writes N MiB in 64 KiB writes, which a
 *       thread named {@code sink} reads; prints {@code mb/s=<MiB per second>};
 *   <li>{@code stream1k N}: the same in 1 KiB writes: the per-call cost shows;
 *   <li>{@code pingpong N}: {@code bench} sends 1 byte and waits for {@code sink}'s 1-byte answer,
 *       N times; prints {@code ns/op=<mean round trip>}: four socket calls per round trip.
 * </ul>
 */
public final class LoopbackLoop {
  private static final long WARMUP_NANOS = 2_000_000_000L;

  private LoopbackLoop() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    long n = Long.parseLong(args[1]);
    int chunk = mode.equals("stream1k") ? 1 << 10 : 64 << 10;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 1, loopback);
        Socket client = new Socket(loopback, server.getLocalPort());
        Socket accepted = server.accept()) {
      client.setTcpNoDelay(true);
      accepted.setTcpNoDelay(true);
      boolean pingPong = mode.equals("pingpong");
      Thread sink = new Thread(() -> serve(accepted, pingPong, chunk), "sink");
      sink.setDaemon(true);
      sink.start();
      long[] elapsed = new long[1];
      Thread bench = new Thread(() -> elapsed[0] = measure(client, pingPong, chunk, n), "bench");
      bench.start();
      bench.join();
      if (pingPong) {
        System.out.printf("ns/op=%.1f%n", (double) elapsed[0] / n);
      } else {
        System.out.printf("mb/s=%.1f%n", n / (elapsed[0] / 1e9));
      }
    }
  }

  /** The timed part: N MiB, or N round trips, after the warm-up; nanoseconds. */
  private static long measure(Socket socket, boolean pingPong, int chunk, long n) {
    try {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[chunk];
      long warmupEnd = System.nanoTime() + WARMUP_NANOS;
      while (System.nanoTime() < warmupEnd) {
        step(out, in, buffer, pingPong, 1 << 20);
      }
      long start = System.nanoTime();
      if (pingPong) {
        step(out, in, buffer, true, n);
      } else {
        for (long i = 0; i < n; i++) {
          step(out, in, buffer, false, 1 << 20);
        }
      }
      return System.nanoTime() - start;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code units} round trips, or {@code units} bytes written in chunks. */
  private static void step(OutputStream out, InputStream in, byte[] buffer, boolean pingPong, long units)
      throws IOException {
    if (pingPong) {
      for (long i = 0; i < units; i++) {
        out.write(buffer, 0, 1);
        if (in.read(buffer, 0, 1) != 1) {
          throw new IOException("the sink closed");
        }
      }
      return;
    }
    for (long left = units; left > 0; left -= buffer.length) {
      out.write(buffer, 0, (int) Math.min(left, buffer.length));
    }
  }

  private static void serve(Socket socket, boolean pingPong, int chunk) {
    try {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] buffer = new byte[chunk];
      for (int n; (n = in.read(buffer, 0, pingPong ? 1 : buffer.length)) > 0; ) {
        if (pingPong) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // the bench closed the connection
    }
  }
}
