package io.jvmebpf.agent.threads;

import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.threads.ThreadIdentity.Source;
import io.jvmebpf.jfr.JavaThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kernel thread id to thread identity, joined from three sources: JFR's thread events and the
 * JVM's thread dump (the truth for Java threads), and the kernel (the last {@code comm} of a thread
 * that exited, {@code /proc/self/task/TID/comm} of one still alive). Bounded: past
 * {@value #MAX_REMEMBERED} threads, new names are counted as forgotten instead of kept.
 */
public final class ThreadRegistry {
  static final int MAX_REMEMBERED = 65_536;
  private static final String DESTROY_JAVA_VM = "DestroyJavaVM";

  private final ConcurrentHashMap<Integer, ThreadIdentity> known = new ConcurrentHashMap<>();
  private final AtomicLong forgotten = new AtomicLong();

  /** A Java thread that JFR saw start or end. */
  public void javaThread(JavaThread thread) {
    remember(
        new ThreadIdentity(
            (int) thread.osThreadId(), thread.name(), thread.javaThreadId(), Source.JVM));
  }

  /**
   * The calling thread, named from the inside: at premain that is the thread about to run
   * {@code main}, which no JFR event announces and which the JVM's thread list shows as
   * {@code DestroyJavaVM} once {@code main} returns.
   */
  public void currentThread() {
    Thread self = Thread.currentThread();
    javaThread(new JavaThread(currentTid(), self.threadId(), self.getName()));
  }

  /** The calling thread's tid, from the /proc/thread-self link ("PID/task/TID"): no libc needed. */
  private static int currentTid() {
    try {
      return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read /proc/thread-self", e);
    }
  }

  /** A thread that the kernel saw exit, with its last name. */
  public void exited(int tid, String comm) {
    remember(new ThreadIdentity(tid, comm, null, Source.KERNEL));
  }

  /**
   * Names every live JVM thread from the JVM's thread dump, with its current name (a thread may
   * have been renamed since JFR saw it start); call before reporting.
   */
  public void refreshFromJvm(AgentLog log) {
    try {
      for (ThreadIdentity identity : JavaThreadDump.take()) {
        remember(identity);
      }
    } catch (Exception | LinkageError e) {
      log.debug("thread dump unavailable (" + e + "); live Java threads started before the agent"
          + " keep their kernel names");
    }
  }

  public ThreadIdentity identify(int tid) {
    ThreadIdentity identity = known.get(tid);
    if (identity != null) {
      return identity;
    }
    try {
      String comm = Files.readString(Path.of("/proc/self/task/" + tid + "/comm")).strip();
      return new ThreadIdentity(tid, comm, null, Source.KERNEL);
    } catch (IOException e) {
      return new ThreadIdentity(tid, "tid-" + tid, null, Source.UNKNOWN);
    }
  }

  /** Names not kept because the registry was full. */
  public long forgotten() {
    return forgotten.get();
  }

  /**
   * A more trusted source always wins; between equals, the newer (the tid may have been reused).
   * One exception: once {@code main} returns, the launcher attaches its thread anew as
   * {@code DestroyJavaVM} (JFR's thread start, the JVM's dump), and the name it ran {@code main}
   * under stands.
   */
  private void remember(ThreadIdentity identity) {
    boolean replaces = !identity.name().equals(DESTROY_JAVA_VM);
    if (known.size() >= MAX_REMEMBERED && !known.containsKey(identity.tid())) {
      forgotten.incrementAndGet();
      return;
    }
    known.merge(
        identity.tid(),
        identity,
        (old, fresh) -> {
          int order = fresh.source().compareTo(old.source());
          return order < 0 || (order == 0 && replaces) ? fresh : old;
        });
  }
}
