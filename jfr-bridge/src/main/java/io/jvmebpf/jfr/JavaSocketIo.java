package io.jvmebpf.jfr;

import java.util.List;

/**
 * The JVM's own record of a socket read or write at least as long as the threshold asked for
 * (JFR's {@code jdk.SocketRead} and {@code jdk.SocketWrite}).
 *
 * @param osThreadId the kernel's thread id
 * @param startEpochNanos when it began, nanoseconds since the epoch
 * @param write whether it wrote (else it read)
 * @param address the peer's address, as {@code InetAddress.getHostAddress()} writes it
 * @param port the peer's port
 * @param bytes what it moved; 0 at the end of the stream
 * @param frames leaf first, as JFR lists them
 */
public record JavaSocketIo(
    long osThreadId, long startEpochNanos, long durationNanos, boolean write, String address, int port, long bytes,
    List<JavaFrame> frames) {}
