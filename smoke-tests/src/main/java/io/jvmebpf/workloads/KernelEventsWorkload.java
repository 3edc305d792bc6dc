package io.jvmebpf.workloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Known answers for the agent's JFR events, each by a thread of its own name, once a recording
 * runs (or after 10 s without one):
 * <ul>
 *   <li>{@code writer}: exactly N {@code write(2)} calls of one byte to /dev/null;
 *   <li>{@code sleeper}: one {@code Thread.sleep} of {@value #SLEEP_MS} ms;
 *   <li>{@code spawner}: starts {@code sh -c 'exit 3'} and waits for it;
 *   <li>{@code client}: connects over loopback to {@code server}, sends {@value #SENT} bytes, reads
 *       {@value #ANSWER} back, and closes.
 * </ul>
 * Then it stays {@value #LINGER_MS} ms, longer than the agent takes to join an off-CPU interval
 * with the JVM's record of it or to name a thread gone before the JVM did (2.5 s), with a margin
 * for the kernel's freeing of a closed socket (seconds on a loaded machine), and than a periodic
 * event's period in the tests (1 s), and prints {@code done}.
 *
 * <p>Usage: {@code KernelEventsWorkload N}.
 */
public final class KernelEventsWorkload {
  static final int SLEEP_MS = 300;
  static final int SENT = 100_000;
  static final int ANSWER = 1_000;
  private static final long LINGER_MS = 6_000;

  private KernelEventsWorkload() {}

  public static void main(String[] args) throws Exception {
    long writes = Long.parseLong(args[0]);
    awaitRecording();
    Thread writer = new Thread(() -> DevNull.write(writes), "writer");
    Thread sleeper = new Thread(KernelEventsWorkload::sleep, "sleeper");
    Thread spawner = new Thread(KernelEventsWorkload::spawn, "spawner");
    writer.start();
    sleeper.start();
    spawner.start();
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> serve(listening), "server");
      Thread client = new Thread(() -> connect(listening.getLocalPort()), "client");
      server.start();
      client.start();
      client.join();
      server.join();
    }
    writer.join();
    sleeper.join();
    spawner.join();
    System.out.println("writer made " + writes + " writes");
    Thread.sleep(LINGER_MS);
    System.out.println("done");
  }

  private static void awaitRecording() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!recording() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(1_000); // the agent's own JFR stream, which names Java threads, starts meanwhile
  }

  private static boolean recording() {
    if (!FlightRecorder.isInitialized()) {
      return false;
    }
    for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
      if (r.getState() == RecordingState.RUNNING) {
        return true;
      }
    }
    return false;
  }


  private static void sleep() {
    try {
      Thread.sleep(SLEEP_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void spawn() {
    try {
      int code = new ProcessBuilder("sh", "-c", "exit 3").start().waitFor();
      if (code != 3) {
        throw new IllegalStateException("exit " + code);
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void serve(ServerSocket listening) {
    try (Socket accepted = listening.accept(); InputStream in = accepted.getInputStream();
        OutputStream out = accepted.getOutputStream()) {
      in.readNBytes(SENT);
      out.write(new byte[ANSWER]);
      out.flush();
      in.read(); // the client's close
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void connect(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write(new byte[SENT]);
      socket.getInputStream().readNBytes(ANSWER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
