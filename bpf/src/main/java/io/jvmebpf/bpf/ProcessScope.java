package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mirror of {@code bpf/src/main/bpf/scope.h}: the process every program filters on first, named
 * as it knows itself, with its PID namespace for when it runs in a container. Every program's
 * configuration struct starts with it.
 */
public record ProcessScope(int tgid, boolean initPidNamespace, long pidNamespaceDev, long pidNamespaceIno) {
  /** sizeof(struct scope). */
  public static final long BYTES = 24;

  /** The initial PID namespace's inode number, fixed by the kernel (PROC_PID_INIT_INO). */
  private static final long INIT_PID_NAMESPACE_INO = 0xEFFFFFFCL;
  private static final Path PID_NAMESPACE = Path.of("/proc/self/ns/pid");

  /** This JVM, in the PID namespace it runs in. */
  public static ProcessScope ofThisProcess() {
    int pid = (int) ProcessHandle.current().pid();
    try {
      long ino = (Long) Files.getAttribute(PID_NAMESPACE, "unix:ino");
      long dev = (Long) Files.getAttribute(PID_NAMESPACE, "unix:dev");
      return new ProcessScope(pid, ino == INIT_PID_NAMESPACE_INO, dev, ino);
    } catch (IOException | RuntimeException e) {
      throw new BpfException("reading " + PID_NAMESPACE + " to scope the BPF programs to this JVM", e);
    }
  }

  /** Writes {@code struct scope} at the start of a program's configuration. */
  public void writeTo(MemorySegment config) {
    config.set(JAVA_INT, 0, tgid);
    config.set(JAVA_INT, 4, initPidNamespace ? 1 : 0);
    config.set(JAVA_LONG, 8, pidNamespaceDev);
    config.set(JAVA_LONG, 16, pidNamespaceIno);
  }
}
