package io.jvmebpf.workloads;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * An application that calls {@code System.exit(3)} as its first act, while the agent's start-up
 * work that premain leaves to other threads (JFR's start, the JVM's thread list, the JIT map that
 * waits for JFR) is still under way: the JVM must exit with 3, neither hung nor noisy. With
 * {@code after-input} it first prints {@code waiting for input} and exits once a line comes, so
 * that a test can make it exit while the agent it is attaching starts.
 */
public final class ExitAtOnceWorkload {
  private ExitAtOnceWorkload() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("after-input")) {
      System.out.println("waiting for input");
      new BufferedReader(new InputStreamReader(System.in)).readLine();
    }
    System.out.println("exiting with 3");
    System.exit(3);
  }
}
