package io.jvmebpf.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;

/**
 * The one way this tool talks to the agent in a running JVM: the Attach API loads the agent jar
 * again with {@code command=NAME,reply=FILE} in its options; the JVM runs the jar's {@code
 * agentmain} on its Attach Listener thread, which hands the command to the session already
 * running there and writes the answer to {@code FILE} before {@code loadAgent} returns. The target
 * needs nothing open for it (no socket, no thread) between commands.
 */
final class AgentChannel {
  private final Path agentJar;

  AgentChannel(Path agentJar) {
    this.agentJar = agentJar;
  }

  /** Sends one command ({@code start} with the agent's options, or a control command) and waits for the reply. */
  Reply send(long pid, String command, String options) throws CliException {
    TargetJvm target = TargetJvm.inspect(pid);
    if (target.whyNot() != null) {
      throw new CliException(target.whyNot());
    }
    requireSameMounts(pid);
    Path reply = replyFile(pid);
    try {
      VirtualMachine vm = attach(pid);
      try {
        checkJava(vm, pid);
        String arguments = (command.equals("start") ? "" : "command=" + command + ",") + "reply=" + reply
            + (options.isEmpty() ? "" : "," + options);
        vm.loadAgent(agentJar.toString(), arguments);
      } finally {
        vm.detach();
      }
      String text = Files.readString(reply, StandardCharsets.UTF_8);
      if (text.isEmpty()) {
        throw new CliException("the agent wrote no reply: the JVM's stderr holds a [jvm-ebpf] line saying why"
            + " (for example, its user cannot read " + agentJar + ")");
      }
      return Reply.parse(text);
    } catch (AgentLoadException | AgentInitializationException e) {
      throw new CliException("the JVM could not load " + agentJar + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CliException("talking to process " + pid + " failed: " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(reply);
      } catch (IOException e) {
        // a temporary file left in /tmp; nothing else depends on it
      }
    }
  }

  private static VirtualMachine attach(long pid) throws CliException {
    try {
      return VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException | IOException e) {
      throw new CliException("process " + pid + " did not answer the Attach API (" + e.getMessage() + "). Is it"
          + " run by another user (run this tool as that user, or as root)? Was it started with"
          + " -XX:+DisableAttachMechanism? Is its JVM still starting?");
    }
  }

  /** The JVM's own word, in case {@code /proc} could not tell: the agent would only print a line. */
  private static void checkJava(VirtualMachine vm, long pid) throws IOException, CliException {
    Properties properties = vm.getSystemProperties();
    String spec = properties.getProperty("java.specification.version", "0");
    int version;
    try {
      version = Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
    } catch (NumberFormatException e) {
      version = 0;
    }
    if (version < 22) {
      throw new CliException("process " + pid + " runs Java " + spec + " (" + properties.getProperty("java.home")
          + "); jvm-ebpf needs Java 22+ in the target: run the application on JDK 22 or newer");
    }
  }

  /**
   * A JVM in another mount namespace (a container) would look for the jar and the reply at paths
   * of its own file system.
   */
  private static void requireSameMounts(long pid) throws CliException {
    try {
      if (!Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"))
          .equals(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "mnt")))) {
        throw new CliException("process " + pid + " runs in another mount namespace (a container): run this"
            + " tool inside it, or start the JVM with -javaagent");
      }
    } catch (IOException e) {
      throw new CliException("cannot read /proc/" + pid + "/ns/mnt (" + e.getMessage()
          + "): run as the JVM's user or as root");
    }
  }

  /** An empty file only the target's user (and root) may write, for the agent's reply. */
  private static Path replyFile(long pid) throws CliException {
    try {
      Path file = Files.createTempFile("jvm-ebpf-reply-" + pid + "-", ".txt",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Integer uid = (Integer) Files.getAttribute(Path.of("/proc", Long.toString(pid)), "unix:uid");
      if (!uid.equals(Files.getAttribute(file, "unix:uid"))) {
        // Root attaching to another user's JVM: the file is that user's to write.
        Files.setAttribute(file, "unix:uid", uid);
      }
      return file;
    } catch (IOException | UnsupportedOperationException e) {
      throw new CliException("cannot create a reply file in " + System.getProperty("java.io.tmpdir") + ": " + e);
    }
  }

  /** Prints the reply's lines and turns an error reply into an exit code. */
  static int print(Reply reply, String prefix) {
    List<String> lines = reply.lines();
    for (String line : lines) {
      (reply.ok() ? System.out : System.err).println(prefix + line);
    }
    return reply.ok() ? 0 : 1;
  }
}
