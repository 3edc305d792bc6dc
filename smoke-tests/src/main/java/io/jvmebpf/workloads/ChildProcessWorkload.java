package io.jvmebpf.workloads;

import java.util.List;

/**
 * Child processes with known answers: a thread named {@code launcher} runs {@code /bin/sleep 0.2}
 * three times, then {@code sh -c 'exit 3'}, each through ProcessBuilder and waited for, and prints
 * one line per child: {@code ran PID EXIT_CODE ARG...}.
 */
public final class ChildProcessWorkload {
  private ChildProcessWorkload() {}

  public static void main(String[] args) throws Exception {
    Thread launcher = new Thread(ChildProcessWorkload::launch, "launcher");
    launcher.start();
    launcher.join();
  }

  private static void launch() {
    try {
      for (int i = 0; i < 3; i++) {
        run(List.of("/bin/sleep", "0.2"));
      }
      run(List.of("sh", "-c", "exit 3"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    int exitCode = process.waitFor();
    System.out.println("ran " + process.pid() + " " + exitCode + " " + String.join(" ", command));
  }
}
