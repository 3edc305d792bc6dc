package io.jvmebpf.workloads;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The service {@code bench/overhead} loads with wrk: each {@code GET /work} does what a small
 * service does, in fixed measure: CRC32 over 64 KiB (CPU), 64 short-lived {@code byte[1024]}
 * and one {@code byte[32768]} (allocation, some of it surviving a young collection in a 256-entry
 * cache), a 4 KiB write and read at a random offset of a 16 MiB file (file syscalls, in the page
 * cache), a 2 ms park on 1 request in 10 (off-CPU), and a 16 KiB response over loopback
 * (network). Prints {@code listening PORT}; runs until killed.
 * Usage: {@code MixedService [HANDLER_THREADS]} (default 4)
 */
public final class MixedService {
  private static final int FILE_BYTES = 16 << 20;
  private static final byte[] RESPONSE = new byte[16 * 1024];
  private static final byte[][] CACHE = new byte[256][];
  static volatile long sink;

  private MixedService() {}

  public static void main(String[] args) throws Exception {
    int handlers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    // Headers and body go out as two writes: without TCP_NODELAY, Nagle holds the body until the
    // client's delayed ACK (40 ms), and every configuration measures that timer, not the work.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Path file = Files.createTempFile("mixed-service", ".bin");
    file.toFile().deleteOnExit();
    RandomAccessFile data = new RandomAccessFile(file.toFile(), "rw");
    data.setLength(FILE_BYTES);
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(handlers, r -> new Thread(r, "handler-" + names.incrementAndGet()));
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(pool);
    server.createContext("/work", exchange -> {
      work(data);
      exchange.sendResponseHeaders(200, RESPONSE.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(RESPONSE);
      }
    });
    server.start();
    System.out.println("listening " + server.getAddress().getPort());
    Thread.currentThread().join();
  }

  private static void work(RandomAccessFile data) throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] block = new byte[32 * 1024];
    block[random.nextInt(block.length)] = (byte) random.nextInt();
    CRC32 crc = new CRC32();
    crc.update(block);
    crc.update(block);
    long garbage = 0;
    for (int i = 0; i < 64; i++) {
      byte[] small = new byte[1024];
      small[i] = (byte) i;
      garbage += small.length;
    }
    CACHE[random.nextInt(CACHE.length)] = block;
    long offset = (long) random.nextInt(FILE_BYTES / 4096) * 4096;
    byte[] page = new byte[4096];
    synchronized (data) {
      data.seek(offset);
      data.write(block, 0, 4096);
      data.seek(offset);
      data.readFully(page);
    }
    if (random.nextInt(10) == 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
    }
    sink = crc.getValue() + garbage + page[0];
  }
}
