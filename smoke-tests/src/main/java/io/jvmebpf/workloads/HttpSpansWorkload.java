package io.jvmebpf.workloads;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP service with known answers per request, served by the JDK's own server (which the
 * OpenTelemetry Java agent instruments): {@code /cpu} burns 200 ms of its thread's CPU time in
 * {@link #burnCpu}, {@code /sleep} sleeps 200 ms, {@code /stop} ends the run. Prints
 * {@code listening PORT} once it serves. Usage: {@code HttpSpansWorkload}
 */
public final class HttpSpansWorkload {
  static final long WORK_NS = 200_000_000L;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  static volatile long sink;

  private HttpSpansWorkload() {}

  public static void main(String[] args) throws Exception {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService handlers = Executors.newFixedThreadPool(2, r -> new Thread(r, "http-" + threads.incrementAndGet()));
    CountDownLatch stop = new CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(handlers);
    server.createContext("/cpu", exchange -> reply(exchange, "burnt " + burnCpu(WORK_NS)));
    server.createContext("/sleep", exchange -> {
      try {
        Thread.sleep(WORK_NS / 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply(exchange, "slept");
    });
    server.createContext("/stop", exchange -> {
      reply(exchange, "stopping");
      stop.countDown();
    });
    server.start();
    System.out.println("listening " + server.getAddress().getPort());
    stop.await();
    server.stop(0);
    handlers.shutdown();
  }

  /** Spins until this thread has used {@code ns} more CPU time; returns that time. */
  static long burnCpu(long ns) {
    long start = THREADS.getCurrentThreadCpuTime();
    long x = 1;
    long used;
    do {
      for (int i = 0; i < 200_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
      used = THREADS.getCurrentThreadCpuTime() - start;
    } while (used < ns);
    sink = x;
    return used;
  }

  private static void reply(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
