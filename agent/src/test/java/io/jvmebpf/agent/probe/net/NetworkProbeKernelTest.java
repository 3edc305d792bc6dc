package io.jvmebpf.agent.probe.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.config.NetOptions;
import io.jvmebpf.agent.probe.ThisJvm;
import io.jvmebpf.agent.report.Connection;
import io.jvmebpf.agent.report.NetworkInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.ThreadNetwork;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * net.bpf.c in the real kernel, through the probe: this test JVM talks to itself over loopback,
 * with byte counts it chose, while another process talks to itself too.
 */
@ExtendWith(RequiresBpf.class)
class NetworkProbeKernelTest {
  private static final int TEN_MIB = 10 << 20;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void tenMebibytesFromAClientThreadToAServerThreadAndNothingOfAnotherProcess() throws Exception {
    ReportBuilder report = new ReportBuilder();
    NetworkProbe probe = new NetworkProbe(NetOptions.defaults());
    ThreadRegistry threads = new ThreadRegistry();
    try (probe; ThisJvm jvm = ThisJvm.context(threads)) {
      probe.start(jvm.context());
      ServerSocket server = listen();
      Process other = otherProcessTalkingToItself();
      AtomicLong received = new AtomicLong();
      Thread serving = new Thread(() -> {
        threads.currentThread();
        received.set(drain(server));
      }, "net-server");
      serving.start();
      int[] clientPort = new int[1];
      Thread client = new Thread(() -> {
        threads.currentThread();
        clientPort[0] = send(server.getLocalPort(), TEN_MIB);
      }, "net-client");
      client.start();
      client.join();
      serving.join();
      List<Integer> otherPorts = portsOf(other);
      assertEquals(TEN_MIB, received.get());
      server.close();
      waitForClose();
      probe.contribute(report);

      List<Connection> connections = tcp(report);
      System.out.println("connections: " + connections);
      Connection sent = only(connections, c -> c.local().port() == clientPort[0]);
      assertEquals("connect", sent.origin());
      assertEquals("net-client", sent.thread());
      assertEquals(server.getLocalPort(), sent.remote().port());
      assertEquals("127.0.0.1", sent.remote().address());
      assertEquals(TEN_MIB, sent.bytesSent());
      assertEquals(0, sent.bytesReceived());
      assertEquals("closed", sent.state());
      assertNotNull(sent.startedAt());
      assertNotNull(sent.endedAt());
      assertTrue(sent.srttUs() != null && sent.srttUs() > 0 && sent.srttUs() < 1_000_000, sent.toString());

      Connection accepted = only(connections, c -> c.remote().port() == clientPort[0]);
      assertEquals("accept", accepted.origin());
      assertEquals("net-server", accepted.thread());
      assertEquals(server.getLocalPort(), accepted.local().port());
      assertEquals(TEN_MIB, accepted.bytesReceived());
      assertEquals(0, accepted.bytesSent());
      assertEquals("closed", accepted.state());

      ThreadNetwork clientTraffic = report.threadNetwork(sent.tid());
      assertEquals(TEN_MIB, clientTraffic.bytesSent());
      assertEquals(0, clientTraffic.bytesReceived());
      assertEquals(1, clientTraffic.connections());
      ThreadNetwork serverTraffic = report.threadNetwork(accepted.tid());
      assertEquals(TEN_MIB, serverTraffic.bytesReceived());
      assertEquals(1, serverTraffic.connections());

      for (Connection c : report.connections()) {
        assertFalse(otherPorts.contains(c.remote().port()) || c.local() != null && otherPorts.contains(c.local().port()),
            "another process's connection: " + c);
      }
      assertEquals(0, report.networkInfo().other().connections());
      assertEquals(0L, report.dropped().get("net.closedEventsLost"));
    }
  }

  /**
   * A pause keeps the programs that see a connection end: one closed during it is reported
   * closed, and a new one after the resume (its socket may well take the freed one's address,
   * which keys the kernel's entry) is its own entry with its own bytes.
   */
  @Test
  void aConnectionClosedDuringAPauseEndsAndTheNextOneIsItsOwn() throws Exception {
    ReportBuilder report = new ReportBuilder();
    NetworkProbe probe = new NetworkProbe(NetOptions.defaults());
    try (probe; ThisJvm jvm = ThisJvm.context(new ThreadRegistry())) {
      probe.start(jvm.context());
      ServerSocket server = listen();
      Socket before = new Socket(LOOPBACK, server.getLocalPort());
      Socket beforeAccepted = server.accept();
      before.getOutputStream().write(new byte[1_000]);
      beforeAccepted.getInputStream().readNBytes(1_000);
      int beforePort = before.getLocalPort();

      probe.pause();
      before.getOutputStream().write(new byte[50]); // not counted: paused
      beforeAccepted.getInputStream().readNBytes(50);
      before.close();
      beforeAccepted.close();
      waitForClose();
      probe.resume();

      int[] afterPort = new int[1];
      for (int i = 0; i < 20; i++) { // several: one is likely to get a freed socket's address
        try (Socket after = new Socket(LOOPBACK, server.getLocalPort()); Socket accepted = server.accept()) {
          after.getOutputStream().write(new byte[2_000 + i]);
          accepted.getInputStream().readNBytes(2_000 + i);
          afterPort[0] = after.getLocalPort();
        }
      }
      server.close();
      waitForClose();
      probe.contribute(report);

      List<Connection> connections = tcp(report);
      Connection closed = only(connections, c -> c.local().port() == beforePort);
      assertEquals(1_000, closed.bytesSent(), closed.toString());
      assertEquals("closed", closed.state(), closed.toString());
      assertNotNull(closed.endedAt(), closed.toString());
      Connection accepted = only(connections, c -> c.remote().port() == beforePort);
      assertEquals(1_000, accepted.bytesReceived(), accepted.toString());
      assertEquals("closed", accepted.state(), accepted.toString());
      Connection last = only(connections, c -> c.local().port() == afterPort[0]);
      assertEquals(2_019, last.bytesSent(), last.toString());
      assertEquals("connect", last.origin(), last.toString());
      assertEquals(42, connections.size(), "each connection its own entry: " + connections);
      for (Connection c : connections) {
        assertEquals("closed", c.state(), c.toString());
      }
    }
  }

  @Test
  void aHundredShortConnectionsEachWithItsOwnByteCount() throws Exception {
    Map<Integer, Long> sentByPort = new HashMap<>();
    ReportBuilder report = hundredConnections(NetOptions.defaults(), sentByPort);
    List<Connection> connections = tcp(report);
    for (Map.Entry<Integer, Long> expected : sentByPort.entrySet()) {
      Connection client = only(connections, c -> c.local().port() == expected.getKey());
      assertEquals(expected.getValue(), client.bytesSent(), client.toString());
      assertEquals(expected.getValue(), client.bytesReceived(), "the echo: " + client);
      Connection server = only(connections, c -> c.remote().port() == expected.getKey());
      assertEquals(expected.getValue(), server.bytesReceived(), server.toString());
      assertEquals(expected.getValue(), server.bytesSent(), server.toString());
    }
    assertEquals(200, connections.size());
    assertEquals(200, report.networkInfo().connections());
    assertEquals(0, report.networkInfo().other().connections());
  }

  @Test
  void aTableOfTenListsTheTenHeaviestAndSumsTheRest() throws Exception {
    Map<Integer, Long> sentByPort = new HashMap<>();
    ReportBuilder report = hundredConnections(new NetOptions(true, 10, -1), sentByPort);
    List<Connection> connections = report.connections();
    NetworkInfo info = report.networkInfo();
    assertEquals(10, connections.size());
    assertEquals(200, info.connections());
    assertEquals(190, info.other().connections());
    long total = sentByPort.values().stream().mapToLong(Long::longValue).sum() * 2; // and echoed
    long listed = connections.stream().mapToLong(Connection::bytesSent).sum();
    assertEquals(total, listed + info.other().bytesSent());
    assertEquals(total, connections.stream().mapToLong(Connection::bytesReceived).sum() + info.other().bytesReceived());
    // The heaviest: the last 5 clients (1,000 bytes each way more per connection) and their servers.
    long heaviest = sentByPort.values().stream().max(Long::compare).orElseThrow();
    assertTrue(connections.stream().allMatch(c -> c.bytesSent() >= heaviest - 4 * 1_000), connections.toString());
  }

  @Test
  void moreOpenConnectionsThanTheKernelFollowsStillAddUpExactly() throws Exception {
    int clients = 1_100; // 2,200 sockets at once, the kernel following 1,024
    ReportBuilder report = new ReportBuilder();
    NetworkProbe probe = new NetworkProbe(new NetOptions(true, 10, NetOptions.JFR_OFF));
    List<Socket> sockets = new ArrayList<>();
    try (probe; ThisJvm jvm = ThisJvm.context(new ThreadRegistry())) {
      probe.start(jvm.context());
      try (ServerSocket server = new ServerSocket(0, clients, LOOPBACK)) {
        for (int i = 0; i < clients; i++) {
          Socket client = new Socket(LOOPBACK, server.getLocalPort());
          sockets.add(client);
          sockets.add(server.accept());
        }
        for (int i = 0; i < sockets.size(); i += 2) {
          sockets.get(i).getOutputStream().write(new byte[10]);
          assertEquals(10, sockets.get(i + 1).getInputStream().readNBytes(10).length);
        }
      } finally {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
      waitForClose();
      probe.contribute(report);
      NetworkInfo info = report.networkInfo();
      List<Connection> listed = tcp(report);
      System.out.println("more than followed: " + info + ", dropped " + report.dropped().get("net.connectionsMapFull"));
      assertEquals(10, listed.size());
      assertEquals(2 * clients, info.connections());
      assertEquals(10L * clients, listed.stream().mapToLong(Connection::bytesSent).sum() + info.other().bytesSent());
      assertEquals(10L * clients,
          listed.stream().mapToLong(Connection::bytesReceived).sum() + info.other().bytesReceived());
      assertTrue(report.dropped().get("net.connectionsMapFull") >= 2 * clients - 1_024,
          "followed at most 1,024: " + report.dropped());
    }
  }

  @Test
  void aRefusedConnectionAndAResetOne() throws Exception {
    ReportBuilder report = new ReportBuilder();
    NetworkProbe probe = new NetworkProbe(NetOptions.defaults());
    try (probe; ThisJvm jvm = ThisJvm.context(new ThreadRegistry())) {
      probe.start(jvm.context());
      int closedPort;
      try (ServerSocket gone = listen()) {
        closedPort = gone.getLocalPort();
      }
      try (Socket refused = new Socket()) {
        refused.connect(new InetSocketAddress(LOOPBACK, closedPort));
        throw new AssertionError("connected to a closed port");
      } catch (ConnectException expected) {
        // refused
      }
      int clientPort;
      try (ServerSocket server = listen(); Socket client = new Socket(LOOPBACK, server.getLocalPort())) {
        clientPort = client.getLocalPort();
        try (Socket accepted = server.accept()) {
          accepted.setSoLinger(true, 0); // close with a reset
        }
        try {
          client.getInputStream().read();
          throw new AssertionError("read past a reset");
        } catch (SocketException expected) {
          // reset
        }
      }
      waitForClose();
      probe.contribute(report);
      List<Connection> connections = tcp(report);
      System.out.println("connections: " + connections);
      Connection refused = only(connections, c -> c.remote().port() == closedPort);
      assertEquals("refused", refused.state());
      assertEquals(1, refused.resetsReceived());
      Connection reset = only(connections, c -> c.local().port() == clientPort);
      assertEquals("reset", reset.state());
      assertEquals(1, reset.resetsReceived());
      Connection resetter = only(connections, c -> c.remote().port() == clientPort);
      assertEquals("reset", resetter.state());
      assertEquals(1, resetter.resetsSent());
    }
  }

  @Test
  void anIpv6Connection() throws Exception {
    InetAddress ipv6Loopback = InetAddress.getByName("::1");
    ReportBuilder report = new ReportBuilder();
    NetworkProbe probe = new NetworkProbe(NetOptions.defaults());
    try (probe; ThisJvm jvm = ThisJvm.context(new ThreadRegistry())) {
      probe.start(jvm.context());
      int clientPort;
      try (ServerSocket server = new ServerSocket(0, 1, ipv6Loopback);
          Socket client = new Socket(ipv6Loopback, server.getLocalPort());
          Socket accepted = server.accept()) {
        clientPort = client.getLocalPort();
        client.getOutputStream().write(new byte[1_000]);
        assertEquals(1_000, accepted.getInputStream().readNBytes(1_000).length);
      }
      waitForClose();
      probe.contribute(report);
      Connection client = only(tcp(report), c -> c.local().port() == clientPort);
      assertEquals("0:0:0:0:0:0:0:1", client.local().address());
      assertEquals("0:0:0:0:0:0:0:1", client.remote().address());
      assertEquals(1_000, client.bytesSent());
      Connection server = only(tcp(report), c -> c.remote().port() == clientPort);
      assertEquals("accept", server.origin());
      assertEquals(1_000, server.bytesReceived());
    }
  }

  @Test
  void udpDatagramsPerRemoteEndpoint() throws Exception {
    ReportBuilder report = new ReportBuilder();
    NetworkProbe probe = new NetworkProbe(NetOptions.defaults());
    try (probe; ThisJvm jvm = ThisJvm.context(new ThreadRegistry());
        DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramChannel sender = DatagramChannel.open().connect(receiver.getLocalAddress())) {
      probe.start(jvm.context());
      int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
      ByteBuffer datagram = ByteBuffer.allocate(100);
      for (int i = 0; i < 5; i++) {
        sender.write(datagram.clear());
        receiver.receive(datagram.clear());
      }
      probe.contribute(report);
      List<Connection> flows = report.connections().stream().filter(c -> c.protocol().equals("udp")).toList();
      System.out.println("flows: " + flows);
      Connection toReceiver = only(flows, c -> c.remote().port() == port);
      assertEquals(500, toReceiver.bytesSent());
      assertEquals(5, toReceiver.sends());
      Connection unconnected = only(flows, c -> c.remote().port() == 0);
      assertEquals(500, unconnected.bytesReceived());
      assertEquals(5, unconnected.receives());
    }
  }

  /** 100 clients, one after the other, each sending 1,000 more bytes than the last, echoed. */
  private static ReportBuilder hundredConnections(NetOptions options, Map<Integer, Long> sentByPort)
      throws Exception {
    ReportBuilder report = new ReportBuilder();
    NetworkProbe probe = new NetworkProbe(options);
    try (probe; ThisJvm jvm = ThisJvm.context(new ThreadRegistry())) {
      probe.start(jvm.context());
      ServerSocket server = listen();
      Thread echo = new Thread(() -> {
        for (int i = 0; i < 100; i++) {
          try (Socket accepted = server.accept()) {
            accepted.getInputStream().transferTo(accepted.getOutputStream());
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
      }, "net-echo");
      echo.start();
      for (int i = 1; i <= 100; i++) {
        try (Socket client = new Socket(LOOPBACK, server.getLocalPort())) {
          byte[] bytes = new byte[i * 1_000];
          client.getOutputStream().write(bytes);
          client.shutdownOutput();
          assertEquals(bytes.length, client.getInputStream().readAllBytes().length);
          sentByPort.put(client.getLocalPort(), (long) bytes.length);
        }
      }
      echo.join();
      server.close();
      waitForClose();
      probe.contribute(report);
    }
    return report;
  }

  private static ServerSocket listen() throws IOException {
    return new ServerSocket(0, 128, LOOPBACK);
  }

  private static long drain(ServerSocket server) {
    try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
      byte[] buffer = new byte[64 << 10];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
      }
      return total;
    } catch (IOException e) {
      throw new AssertionError(e);
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
      throw new AssertionError(e);
    }
  }

  /** A python3 that connects to itself over loopback, sends 1 MiB, and prints its four ports. */
  private static Process otherProcessTalkingToItself() throws IOException {
    String script = String.join("\n",
        "import socket",
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()",
        "c = socket.create_connection(s.getsockname()); a, _ = s.accept()",
        "ports = [s.getsockname()[1], c.getsockname()[1]]",
        "c.sendall(b'x' * (1 << 20)); c.close()",
        "n = 0",
        "while True:",
        "    d = a.recv(65536)",
        "    if not d: break",
        "    n += len(d)",
        "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))",
        "u.sendto(b'y' * 100, u.getsockname())",
        "print(ports[0], ports[1], u.getsockname()[1], n)");
    return new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
  }

  private static List<Integer> portsOf(Process other) throws Exception {
    String out = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, other.waitFor(), out);
    String[] fields = out.split(" ");
    assertEquals(String.valueOf(1 << 20), fields[3], "the other process's bytes: " + out);
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ports.add(Integer.parseInt(fields[i]));
    }
    return ports;
  }

  /** A socket is freed, and its connection reported, a moment after close() returns. */
  private static void waitForClose() throws InterruptedException {
    Thread.sleep(200);
  }

  private static List<Connection> tcp(ReportBuilder report) {
    return report.connections().stream().filter(c -> c.protocol().equals("tcp")).toList();
  }

  private static Connection only(List<Connection> connections, Predicate<Connection> which) {
    List<Connection> found = connections.stream().filter(which).toList();
    assertEquals(1, found.size(), "expected one of " + connections);
    return found.get(0);
  }
}
