package io.jvmebpf.agent.report;

import java.time.Instant;
import java.util.List;

/**
 * A connection of the JVM in {@code summary.json}'s {@code connections}: a TCP connection from
 * connect or accept to close, or the UDP datagrams exchanged with one remote endpoint.
 *
 * @param protocol {@code tcp} or {@code udp}
 * @param local null for UDP, whose flows are kept per remote endpoint only
 * @param remote {@code *} with port 0 for UDP datagrams of sockets not connected to a peer
 * @param origin {@code connect}, {@code accept}, {@code existing} (first seen in use: opened
 *     before the agent started), or {@code datagrams} for UDP
 * @param tid the thread that connected; for an accepted connection, the first thread that read or
 *     wrote it; for UDP, the first that used the flow; 0 when none did
 * @param stack where that thread was then, leaf first; empty when unknown
 * @param javaStack the Java code that moved the most bytes over it, leaf first, from the JVM's
 *     own records of socket reads and writes ({@code net.jfr=}, off by default); empty when it
 *     recorded none
 * @param startedAt null for a connection opened before the agent started; for UDP, the first
 *     datagram
 * @param endedAt null while it is open at the report; for UDP, the last datagram
 * @param sends calls (or datagrams) that sent at least a byte
 * @param srttUs the smoothed round-trip time, as the kernel last had it; null for UDP
 * @param state for an open TCP connection its state ({@code established}, {@code close-wait}...);
 *     once over, {@code closed}, {@code reset}, {@code refused} or {@code failed}; null for UDP
 */
public record Connection(
    String protocol, Endpoint local, Endpoint remote, String origin, int tid, String thread,
    List<String> stack, List<String> javaStack, Instant startedAt, Instant endedAt, long bytesSent, long bytesReceived,
    long sends, long receives, long retransmits, long resetsSent, long resetsReceived, Long srttUs,
    String state) {

  /** An address as {@link java.net.InetAddress#getHostAddress()} writes it, and a port. */
  public record Endpoint(String address, int port) {}

  /** This connection with what the JVM knows of it: its thread's name and its Java code. */
  public Connection joined(String threadName, List<String> javaCode) {
    return new Connection(protocol, local, remote, origin, tid, threadName, stack, javaCode, startedAt, endedAt,
        bytesSent, bytesReceived, sends, receives, retransmits, resetsSent, resetsReceived, srttUs, state);
  }

  public long bytes() {
    return bytesSent + bytesReceived;
  }
}
