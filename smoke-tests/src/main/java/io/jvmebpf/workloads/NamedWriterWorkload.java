package io.jvmebpf.workloads;

/**
 * A thread of the given name makes exactly N {@code write(2)} calls to /dev/null; the JVM then
 * lives on for the given milliseconds (so that periodic exports happen after the writes) and exits.
 *
 * <p>Usage: {@code NamedWriterWorkload N NAME LINGER_MS}. Prints {@code NAME made N writes}.
 */
public final class NamedWriterWorkload {
  private NamedWriterWorkload() {}

  public static void main(String[] args) throws Exception {
    long writes = Long.parseLong(args[0]);
    String name = args[1];
    long lingerMs = Long.parseLong(args[2]);
    Thread writer = new Thread(() -> DevNull.write(writes), name);
    writer.start();
    writer.join();
    System.out.println(name + " made " + writes + " writes");
    Thread.sleep(lingerMs);
  }
}
