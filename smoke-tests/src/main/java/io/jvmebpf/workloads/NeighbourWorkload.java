package io.jvmebpf.workloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A noisy neighbour: another process on the machine, run without the agent, busy until killed
 * with what the agent watches in its own JVM. Every name it uses holds {@code neighbour}, so any
 * of it in a report is plain to see: {@code neighbour-files} opens, writes and closes the file
 * given; {@code neighbour-net} makes short loopback TCP connections to its own server on the port
 * given; {@code neighbour-malloc} allocates and drops direct buffers (malloc and free);
 * {@code neighbour-spawn} starts {@code sh -c ': neighbour-child'} processes.
 * Usage: {@code NeighbourWorkload FILE PORT}.
 */
public final class NeighbourWorkload {
  private static volatile long sink;

  private NeighbourWorkload() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.getLoopbackAddress());
    start("neighbour-accept", () -> accept(server));
    start("neighbour-net", () -> connect(server.getLocalPort()));
    start("neighbour-files", () -> write(file));
    start("neighbour-malloc", NeighbourWorkload::allocate);
    start("neighbour-spawn", NeighbourWorkload::spawn);
    System.out.println("neighbour running");
    Thread.sleep(Long.MAX_VALUE);
  }

  private interface Work {
    void run() throws Exception;
  }

  private static void start(String name, Work work) {
    Thread thread = new Thread(() -> {
      try {
        work.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void accept(ServerSocket server) throws IOException {
    while (true) {
      try (Socket socket = server.accept(); InputStream in = socket.getInputStream();
          OutputStream out = socket.getOutputStream()) {
        out.write(in.readNBytes(100));
      }
    }
  }

  private static void connect(int port) throws Exception {
    byte[] request = new byte[100];
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.getOutputStream().write(request);
        sink += socket.getInputStream().readNBytes(100).length;
      }
      Thread.sleep(2);
    }
  }

  private static void write(Path file) throws Exception {
    byte[] block = new byte[512];
    while (true) {
      Files.write(file, block, StandardOpenOption.CREATE, StandardOpenOption.WRITE); // 512 bytes once written
      Thread.sleep(1);
    }
  }

  private static void allocate() throws Exception {
    while (true) {
      for (int i = 0; i < 100; i++) {
        sink += ByteBuffer.allocateDirect(64 << 10).capacity();
      }
      Thread.sleep(1);
    }
  }

  private static void spawn() throws Exception {
    while (true) {
      new ProcessBuilder("sh", "-c", ": neighbour-child").start().waitFor();
      Thread.sleep(50);
    }
  }
}
