package io.jvmebpf.agent.threads;

/**
 * Who a kernel thread id is: a Java thread (with its Java id) or a native one (JVM-internal or
 * foreign), and how sure the name is.
 *
 * @param javaThreadId null for native threads
 */
public record ThreadIdentity(int tid, String name, Long javaThreadId, Source source) {
  /** Where a name came from, most trusted first: a later source never replaces an earlier one. */
  public enum Source {
    /** JFR events or the JVM's thread dump: the JVM's own name. */
    JVM,
    /** The kernel's {@code comm}, at most 15 characters. */
    KERNEL,
    /** Nothing known but the number. */
    UNKNOWN
  }
}
