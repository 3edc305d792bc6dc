package io.jvmebpf.workloads;


/**
 * A thread named {@code writer} makes exactly N {@code write(2)} calls of one byte to /dev/null:
 * {@code FileOutputStream.write(byte[], int, int)} is one syscall per call. With N = -1 it writes
 * until killed (the noise of another process, which must never reach the report).
 *
 * <p>Usage: {@code WriterWorkload N [after-input]}; with {@code after-input} it first waits for a
 * line on stdin (so that a test can attach the agent before the writes). It prints the writer's
 * wall time, start to join, and exits 300 ms after the writer ended.
 */
public final class WriterWorkload {
  private WriterWorkload() {}

  public static void main(String[] args) throws Exception {
    long writes = Long.parseLong(args[0]);
    if (args.length > 1 && args[1].equals("after-input")) {
      System.out.println("waiting for input");
      new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
    }
    Thread writer = new Thread(() -> DevNull.write(writes), "writer");
    long started = System.nanoTime();
    writer.start();
    writer.join();
    long wallNs = System.nanoTime() - started;
    System.out.println("writer made " + writes + " writes");
    System.out.println("writer-wall-ns " + wallNs);
    // The JVM outlives the writer by a clear margin: a report that saw it end shows its end there.
    Thread.sleep(300);
  }

}
