package io.jvmebpf.jfr;

import java.time.Duration;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Java threads started or ended while the agent runs, read from an in-process JFR stream of
 * {@code jdk.ThreadStart} and {@code jdk.ThreadEnd} (no stack traces, so it costs little). JFR
 * delivers events in batches about once a second; {@link #close()} waits for the last batch.
 */
public final class JavaThreadEvents implements AutoCloseable {
  /** The longest the agent holds up the JVM's exit for the last batch of events. */
  private static final Duration WAIT_LIMIT = Duration.ofMillis(500);

  private final Thread starter;
  private RecordingStream stream; // guarded by this
  private boolean closed; // guarded by this
  private volatile Throwable failure;

  private JavaThreadEvents(Consumer<JavaThread> onThread) {
    // JFR takes a few hundred ms to start: off the application's start-up path. The stream runs
    // on this daemon thread (startAsync's thread is not a daemon and would keep the JVM alive).
    starter = daemon("jvm-ebpf-jfr", () -> {
      RecordingStream s = open(onThread);
      synchronized (this) {
        if (closed) { // the JVM is already exiting: too late to be of use
          s.close();
          return;
        }
        stream = s;
      }
      s.start();
    });
  }

  /** Starts the stream in the background; {@code onThread} runs on the stream's thread. */
  public static JavaThreadEvents start(Consumer<JavaThread> onThread) {
    return new JavaThreadEvents(onThread);
  }

  private static RecordingStream open(Consumer<JavaThread> onThread) {
    RecordingStream stream = new RecordingStream();
    for (String event : new String[] {"jdk.ThreadStart", "jdk.ThreadEnd"}) {
      stream.enable(event).withoutStackTrace();
      stream.onEvent(event, e -> publish(e, onThread));
    }
    stream.setReuse(true);
    return stream;
  }

  private static void publish(RecordedEvent event, Consumer<JavaThread> onThread) {
    RecordedThread thread = event.getThread("thread");
    if (thread != null && thread.getOSThreadId() > 0) {
      onThread.accept(
          new JavaThread(thread.getOSThreadId(), thread.getJavaThreadId(), thread.getJavaName()));
    }
  }

  /** Why JFR could not start or stream, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Stops recording, delivers what JFR still holds, then releases the stream. */
  @Override
  public void close() {
    RecordingStream s;
    synchronized (this) {
      closed = true;
      s = stream;
    }
    if (s == null) {
      return;
    }
    // stop() delivers the last events and ends the stream thread. At JVM exit JFR's own shutdown
    // hook may have stopped the recording first (stop() then throws), or may hold stop() up:
    // what was delivered by then is what there is.
    join(daemon("jvm-ebpf-jfr-stop", () -> {
      try {
        s.stop();
      } catch (IllegalStateException stoppedByJfrShutdown) {
        s.close();
      }
    }));
    s.close();
  }

  /** A daemon whose failure is kept for {@link #failure()}, never printed on the host's stderr. */
  private Thread daemon(String name, Runnable body) {
    return Thread.ofPlatform()
        .daemon()
        .name(name)
        .uncaughtExceptionHandler((t, e) -> failure = e)
        .start(body);
  }

  private static void join(Thread thread) {
    try {
      thread.join(WAIT_LIMIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
