package io.jvmebpf.agent;

/** Closing at stop, where a failure leaves nothing more to do than go on with the rest. */
public final class Closeables {
  private Closeables() {}

  /** Closes {@code resource} if there is one; what it throws is dropped. */
  public static void closeQuietly(AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception | LinkageError e) {
      // The kernel and the JVM release what is left; the other resources still get closed.
    }
  }
}
