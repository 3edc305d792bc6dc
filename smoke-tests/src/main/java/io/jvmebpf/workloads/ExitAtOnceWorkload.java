package io.jvmebpf.workloads;

/**
 * An application that calls {@code System.exit(3)} as its first act, while the agent's start-up
 * work that premain leaves to other threads (JFR's start, the JVM's thread list, the JIT map that
 * waits for JFR) is still under way: the JVM must exit with 3, neither hung nor noisy.
 */
public final class ExitAtOnceWorkload {
  private ExitAtOnceWorkload() {}

  public static void main(String[] args) {
    System.out.println("exiting with 3");
    System.exit(3);
  }
}
