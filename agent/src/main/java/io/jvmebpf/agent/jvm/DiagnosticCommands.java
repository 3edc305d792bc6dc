package io.jvmebpf.agent.jvm;

import java.lang.reflect.Method;
import javax.management.DynamicMBean;

/**
 * The JVM's diagnostic commands ({@code jcmd}'s), run in process through HotSpot's own MBean
 * implementation, without the platform MBean server or {@code ManagementFactory}, which would load
 * every platform MXBean provider into the host on the agent's behalf. The bootstrap opened
 * {@code com.sun.management.internal} to the agent's module for this.
 */
public final class DiagnosticCommands {
  private static final String IMPL = "com.sun.management.internal.DiagnosticCommandImpl";
  /** Its static initializer loads libmanagement_ext, where the commands' natives live. */
  private static final String NATIVES = "com.sun.management.internal.PlatformMBeanProviderImpl";

  private DiagnosticCommands() {}

  /**
   * Runs one command by its MBean operation name ({@code threadPrint} for Thread.print,
   * {@code vmFlags} for VM.flags) and returns its text.
   */
  public static String run(String operation, String... arguments) throws Exception {
    Class.forName(NATIVES, true, DiagnosticCommands.class.getClassLoader());
    Method get = Class.forName(IMPL).getDeclaredMethod("getDiagnosticCommandMBean");
    get.setAccessible(true);
    DynamicMBean commands = (DynamicMBean) get.invoke(null);
    if (commands == null) {
      throw new IllegalStateException("this JVM offers no diagnostic commands");
    }
    return String.valueOf(
        commands.invoke(operation, new Object[] {arguments}, new String[] {String[].class.getName()}));
  }

  /** Whether a boolean -XX flag was set to true (VM.flags lists the flags not at their default). */
  public static boolean flagOn(String name) {
    try {
      return run("vmFlags").contains("-XX:+" + name);
    } catch (Exception | LinkageError e) {
      return false; // not HotSpot, or no diagnostic commands: say what is true of most JVMs
    }
  }
}
