package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.threads.ThreadIdentity.Source;
import io.jvmebpf.agent.threads.ThreadRegistry;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Events held back until the JVM has named their threads: a probe reads a connection's close or
 * a child's exit within a fraction of a second, often before JFR has handed over the start of
 * the thread concerned (about once a second), which may have ended already. An event whose thread
 * the JVM has named goes at once: held, it could miss a recording that ends meanwhile (the JVM's
 * exit). Bounded: past {@value #MAX_HELD}, an event goes at once with the name known then.
 */
public final class Deferred<T> {
  /** As long as the off-CPU probe waits for JFR's batch. */
  public static final long DELAY_NS = 2_500_000_000L;
  private static final int MAX_HELD = 4_096;

  private record Held<T>(long atNs, T item) {}

  private final Consumer<T> send;
  private final ToIntFunction<T> tid;
  private final ThreadRegistry threads;
  private final ArrayDeque<Held<T>> held = new ArrayDeque<>(); // guarded by this

  /**
   * @param send commits one; it checks {@code shouldCommit()} again, a recording may have ended
   * @param tid the thread an event is about
   */
  public Deferred(Consumer<T> send, ToIntFunction<T> tid, ThreadRegistry threads) {
    this.send = send;
    this.tid = tid;
    this.threads = threads;
  }

  /** Sends {@code item} now if its thread is named, else once it is likely to be. */
  public void hold(T item) {
    synchronized (this) {
      if (held.size() < MAX_HELD && threads.identify(tid.applyAsInt(item)).source() != Source.JVM) {
        held.add(new Held<>(System.nanoTime(), item));
        return;
      }
    }
    send.accept(item);
  }

  /** Sends every event held for at least {@link #DELAY_NS}, oldest first. */
  public void releaseDue() {
    release(false);
  }

  /** Sends every event held: the probe reports, the names are what they will be. */
  public void releaseAll() {
    release(true);
  }

  private void release(boolean all) {
    long before = System.nanoTime() - DELAY_NS;
    while (true) {
      T item;
      synchronized (this) {
        Held<T> oldest = held.peek();
        if (oldest == null || (!all && oldest.atNs() - before >= 0)) {
          return;
        }
        item = held.poll().item();
      }
      send.accept(item);
    }
  }
}
