package io.jvmebpf.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code list}: the JVMs this user may attach to, read from their performance files and {@code /proc}. */
@Command(name = "list", description = "List the JVMs on this machine: pid, Java version, whether the agent runs in it, main class.")
final class ListCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    long self = ProcessHandle.current().pid();
    System.out.printf("%-8s %-5s %-8s %s%n", "PID", "JAVA", "AGENT", "MAIN CLASS AND ARGUMENTS");
    for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
      long pid;
      try {
        pid = Long.parseLong(vm.id());
      } catch (NumberFormatException e) {
        continue;
      }
      if (pid == self) {
        continue;
      }
      TargetJvm target = TargetJvm.inspect(pid);
      String java = target.javaVersion() > 0 ? Integer.toString(target.javaVersion()) : "?";
      System.out.printf("%-8d %-5s %-8s %s%n", pid, java, target.agentRunning() ? "running" : "-",
          vm.displayName().isEmpty() ? "?" : vm.displayName());
    }
    return 0;
  }
}
