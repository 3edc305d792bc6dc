package io.jvmebpf.workloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Known answers for the network probe, over loopback, all in this JVM:
 * <ul>
 *   <li>a thread named {@code net-client} sends exactly 10 MiB to a thread named {@code net-server},
 *       which reads it to the end (one connection each way of looking at it);
 *   <li>a thread named {@code net-short} makes 100 connections one after the other, the i-th
 *       sending i × 1,000 bytes, which a thread named {@code net-echo} sends back;
 *   <li>a thread named {@code net-refused} connects to a port nobody listens on.
 * </ul>
 * It starts once the JVM's flight recorder runs (or after a second without one). With the argument {@code one}, only the 10 MiB connection. Prints
 * {@code client-port P} (the 10 MiB connection's local port), {@code server-port P},
 * {@code refused-port P}, then {@code done}, and exits 300 ms later.
 */
public final class NetworkWorkload {
  static final int TEN_MIB = 10 << 20;
  static final int SHORT_CONNECTIONS = 100;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private NetworkWorkload() {}

  public static void main(String[] args) throws Exception {
    AgentJfr.await(); // its socket events name each connection's Java code
    try (ServerSocket server = new ServerSocket(0, 128, LOOPBACK); ServerSocket echo = new ServerSocket(0, 128, LOOPBACK)) {
      Thread serving = new Thread(() -> drain(server), "net-server");
      serving.start();
      int[] clientPort = new int[1];
      Thread client = new Thread(() -> clientPort[0] = send(server.getLocalPort(), TEN_MIB), "net-client");
      client.start();
      client.join();
      serving.join();
      if (args.length > 0 && args[0].equals("one")) {
        System.out.println("client-port " + clientPort[0]);
        System.out.println("done");
        Thread.sleep(300);
        return;
      }

      Thread echoing = new Thread(() -> echo(echo), "net-echo");
      echoing.start();
      Thread shortOnes = new Thread(() -> shortConnections(echo.getLocalPort()), "net-short");
      shortOnes.start();
      shortOnes.join();
      echoing.join();

      int refusedPort;
      try (ServerSocket gone = new ServerSocket(0, 1, LOOPBACK)) {
        refusedPort = gone.getLocalPort();
      }
      Thread refused = new Thread(() -> connectRefused(refusedPort), "net-refused");
      refused.start();
      refused.join();
      System.out.println("client-port " + clientPort[0]);
      System.out.println("server-port " + server.getLocalPort());
      System.out.println("refused-port " + refusedPort);
    }
    System.out.println("done");
    Thread.sleep(300);
  }

  private static void drain(ServerSocket server) {
    try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
      byte[] buffer = new byte[64 << 10];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
      }
      if (total != TEN_MIB) {
        throw new IllegalStateException("received " + total);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int send(int port, int bytes) {
    try (Socket socket = new Socket(LOOPBACK, port); OutputStream out = socket.getOutputStream()) {
      byte[] chunk = new byte[64 << 10];
      for (int left = bytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, Math.min(left, chunk.length));
      }
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void echo(ServerSocket server) {
    for (int i = 0; i < SHORT_CONNECTIONS; i++) {
      try (Socket accepted = server.accept()) {
        accepted.getInputStream().transferTo(accepted.getOutputStream());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static void shortConnections(int port) {
    for (int i = 1; i <= SHORT_CONNECTIONS; i++) {
      try (Socket socket = new Socket(LOOPBACK, port)) {
        socket.getOutputStream().write(new byte[i * 1_000]);
        socket.shutdownOutput();
        if (socket.getInputStream().readAllBytes().length != i * 1_000) {
          throw new IllegalStateException("short echo");
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static void connectRefused(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port));
      throw new IllegalStateException("connected to a closed port");
    } catch (ConnectException expected) {
      // refused, as wanted
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
