package io.jvmebpf.jfr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * What the agent reads from the JVM's own JFR, in process: Java threads started or ended
 * ({@code jdk.ThreadStart}, {@code jdk.ThreadEnd}, without stack traces, so they cost little) and,
 * when asked for, the JVM's samples of Java stacks ({@code jdk.ExecutionSample},
 * {@code jdk.NativeMethodSample}) and its events of threads blocked in Java code
 * ({@link #BLOCKING_EVENTS}). JFR delivers events in batches about once a second;
 * {@link #close()} waits for the last batch.
 */
public final class JfrEvents implements AutoCloseable {
  /** The longest the agent holds up the JVM's exit for the last batch of events. */
  private static final Duration WAIT_LIMIT = Duration.ofMillis(500);
  /**
   * The JVM's events of a thread blocked in Java code, each with the stack that blocked. Not the
   * socket and file events: JFR times every read and write call they cover, whatever the
   * threshold (10% of the CPU of a loop of 1-byte writes, measured), while a thread blocked in I/O
   * is in a native method, whose stack the JVM's native samples give.
   */
  public static final List<String> BLOCKING_EVENTS = List.of(
      "jdk.ThreadSleep", "jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait");
  private static final List<String> SAMPLE_EVENTS = List.of("jdk.ExecutionSample", "jdk.NativeMethodSample");
  /** The JVM's socket reads and writes, each with the peer and the Java stack that asked. */
  public static final List<String> SOCKET_EVENTS = List.of("jdk.SocketRead", "jdk.SocketWrite");

  private final Thread starter;
  private final QuietEvents quiet; // null when no event is to be kept quiet
  private RecordingStream stream; // guarded by this
  private boolean closed; // guarded by this
  private final Set<String> stopped = new HashSet<>(); // guarded by this
  private volatile Throwable failure;
  private volatile boolean flushed; // JFR has recorded and handed over a first batch
  private volatile Consumer<JavaVirtualBlock> virtualBlocks; // null: virtual threads' blocks dropped

  /**
   * What to stream.
   *
   * @param threads receives every Java thread start and end
   * @param executionSamplePeriod how often the JVM samples the Java stacks of threads running
   *     Java code, or null for never
   * @param nativeSamplePeriod how often it samples those of threads in native code (running or
   *     blocked there), or null for never
   * @param samples receives each Java stack sample
   * @param blockThreshold the shortest block in Java code to record, or null for none
   * @param blocks receives each block
   * @param socketThreshold the shortest socket read or write to record, or null for none: JFR
   *     then times every one, and records those past it with a stack
   * @param sockets receives each socket read and write recorded
   * @param memory receives allocation samples, collections' heap summaries and NMT's totals, or
   *     null for none
   * @param quietEvents events the stream keeps off while no other recording runs and leaves to
   *     the other recordings' settings while one does (see {@link QuietEvents})
   */
  public record Subscriptions(
      Consumer<JavaThread> threads, Duration executionSamplePeriod, Duration nativeSamplePeriod,
      Consumer<JavaStackSample> samples, Duration blockThreshold, Consumer<JavaBlock> blocks,
      Duration socketThreshold, Consumer<JavaSocketIo> sockets, Consumer<JavaMemoryEvent> memory,
      List<String> quietEvents) {}

  /** As JFR's {@code profile} settings sample allocations: at most 300 samples a second. */
  private static final String ALLOCATION_THROTTLE = "300/s";
  /** NMT's totals, for the last of them at the report; only a JVM run with NMT emits them. */
  private static final Duration NMT_PERIOD = Duration.ofSeconds(1);

  private JfrEvents(Subscriptions subscriptions) {
    quiet = subscriptions.quietEvents().isEmpty() ? null : new QuietEvents(subscriptions.quietEvents());
    // JFR takes a few hundred ms to start: off the application's start-up path. The stream runs
    // on this daemon thread (startAsync's thread is not a daemon and would keep the JVM alive).
    starter = daemon("jvm-ebpf-jfr", () -> {
      RecordingStream s = open(subscriptions);
      synchronized (this) {
        if (closed) { // the JVM is already exiting: too late to be of use
          s.close();
          return;
        }
        stream = s;
        stopped.forEach(s::disable);
        if (quiet != null) {
          FlightRecorder.addListener(quiet); // before the start, whose change of state it sees
        }
      }
      s.start();
    });
  }

  /** Starts the stream in the background; the consumers run on the stream's thread. */
  public static JfrEvents start(Subscriptions subscriptions) {
    return new JfrEvents(subscriptions);
  }

  private RecordingStream open(Subscriptions subscriptions) {
    RecordingStream stream = new RecordingStream();
    if (quiet != null) {
      stream.setSettings(quiet.initialSettings());
    }
    for (String event : new String[] {"jdk.ThreadStart", "jdk.ThreadEnd"}) {
      stream.enable(event).withoutStackTrace();
      stream.onEvent(event, e -> publishThread(e, subscriptions.threads()));
    }
    Duration[] periods = {subscriptions.executionSamplePeriod(), subscriptions.nativeSamplePeriod()};
    for (int i = 0; i < periods.length; i++) {
      if (periods[i] != null) {
        stream.enable(SAMPLE_EVENTS.get(i)).withPeriod(periods[i]);
        stream.onEvent(SAMPLE_EVENTS.get(i), e -> publishSample(e, subscriptions));
      }
    }
    if (subscriptions.blockThreshold() != null) {
      for (String event : BLOCKING_EVENTS) {
        stream.enable(event).withThreshold(subscriptions.blockThreshold()).withStackTrace();
        stream.onEvent(event, e -> publishBlock(e, subscriptions.blocks(), virtualBlocks));
      }
    }
    if (subscriptions.socketThreshold() != null) {
      for (String event : SOCKET_EVENTS) {
        stream.enable(event).withThreshold(subscriptions.socketThreshold()).withStackTrace();
        stream.onEvent(event, e -> publishSocketIo(e, subscriptions.sockets()));
      }
    }
    if (subscriptions.memory() != null) {
      Consumer<JavaMemoryEvent> memory = subscriptions.memory();
      stream.enable("jdk.ObjectAllocationSample").with("throttle", ALLOCATION_THROTTLE).withStackTrace();
      stream.onEvent("jdk.ObjectAllocationSample", e -> publishAllocation(e, memory));
      stream.enable("jdk.GCHeapSummary");
      stream.onEvent("jdk.GCHeapSummary", e -> memory.accept(new JavaMemoryEvent.GcHeap(e.getLong("gcId"),
          e.getStartTime(), "Before GC".equals(e.getString("when")), e.getLong("heapUsed"))));
      stream.enable("jdk.NativeMemoryUsage").withPeriod(NMT_PERIOD);
      stream.onEvent("jdk.NativeMemoryUsage", e -> memory.accept(new JavaMemoryEvent.NativeMemoryUsage(
          e.getString("type"), e.getLong("reserved"), e.getLong("committed"))));
    }
    stream.setReuse(true);
    stream.onFlush(() -> flushed = true);
    return stream;
  }

  private static void publishThread(RecordedEvent event, Consumer<JavaThread> onThread) {
    RecordedThread thread = event.getThread("thread");
    if (thread != null && thread.getOSThreadId() > 0) {
      onThread.accept(
          new JavaThread(thread.getOSThreadId(), thread.getJavaThreadId(), thread.getJavaName()));
    }
  }

  private static void publishSample(RecordedEvent event, Subscriptions subscriptions) {
    RecordedThread thread = event.getThread("sampledThread");
    RecordedStackTrace stack = event.getStackTrace();
    if (thread != null && thread.isVirtual() && stack != null && thread.getJavaThreadId() > 0) {
      // No OS thread: keyed by the virtual thread, which the kernel's sample of its carrier names.
      subscriptions.samples().accept(new JavaStackSample(-thread.getJavaThreadId(), epochNanos(event.getStartTime()),
          frames(stack), event.getEventType().getName().equals("jdk.NativeMethodSample")));
      return;
    }
    if (thread == null || thread.getOSThreadId() <= 0 || stack == null) {
      return;
    }
    // Names threads that started before the recording did and end before the report.
    subscriptions.threads().accept(
        new JavaThread(thread.getOSThreadId(), thread.getJavaThreadId(), thread.getJavaName()));
    subscriptions.samples().accept(new JavaStackSample(
        thread.getOSThreadId(), epochNanos(event.getStartTime()), frames(stack),
        event.getEventType().getName().equals("jdk.NativeMethodSample")));
  }

  private static void publishBlock(RecordedEvent event, Consumer<JavaBlock> onBlock,
      Consumer<JavaVirtualBlock> onVirtualBlock) {
    RecordedThread thread = event.getThread();
    RecordedStackTrace stack = event.getStackTrace();
    if (thread != null && thread.isVirtual()) {
      // No OS thread of its own to join with: summed by the virtual thread's id instead.
      if (onVirtualBlock != null) {
        String name = thread.getJavaName();
        onVirtualBlock.accept(new JavaVirtualBlock(thread.getJavaThreadId(), name == null ? "" : name,
            event.getDuration().toNanos(), event.getEventType().getName()));
      }
      return;
    }
    if (thread == null || thread.getOSThreadId() <= 0 || stack == null) {
      return;
    }
    onBlock.accept(new JavaBlock(thread.getOSThreadId(), epochNanos(event.getStartTime()),
        event.getDuration().toNanos(), event.getEventType().getName(), frames(stack)));
  }

  private static void publishSocketIo(RecordedEvent event, Consumer<JavaSocketIo> onSocketIo) {
    RecordedThread thread = event.getThread();
    RecordedStackTrace stack = event.getStackTrace();
    if (thread == null || thread.getOSThreadId() <= 0 || stack == null) {
      return;
    }
    boolean write = event.getEventType().getName().equals("jdk.SocketWrite");
    long bytes = write ? event.getLong("bytesWritten") : event.getLong("bytesRead");
    onSocketIo.accept(new JavaSocketIo(thread.getOSThreadId(), epochNanos(event.getStartTime()),
        event.getDuration().toNanos(), write, event.getString("address"), event.getInt("port"), Math.max(0, bytes),
        frames(stack)));
  }

  private static void publishAllocation(RecordedEvent event, Consumer<JavaMemoryEvent> memory) {
    RecordedThread thread = event.getThread();
    RecordedStackTrace stack = event.getStackTrace();
    RecordedClass type = event.getClass("objectClass");
    // A virtual thread's sample has no OS thread: it still counts in the heap's totals.
    long tid = thread == null || stack == null ? 0 : Math.max(0, thread.getOSThreadId());
    memory.accept(new JavaMemoryEvent.Allocation(tid, event.getLong("weight"),
        type == null ? "unknown" : javaName(type.getName()), stack == null ? List.of() : frames(stack)));
  }

  /** {@code [B} as {@code byte[]}, {@code [Ljava.lang.String;} as {@code java.lang.String[]}. */
  static String javaName(String binaryName) {
    int dimensions = 0;
    while (dimensions < binaryName.length() && binaryName.charAt(dimensions) == '[') {
      dimensions++;
    }
    if (dimensions == 0) {
      return binaryName;
    }
    String element = binaryName.substring(dimensions);
    String name = switch (element) {
      case "Z" -> "boolean";
      case "B" -> "byte";
      case "C" -> "char";
      case "S" -> "short";
      case "I" -> "int";
      case "J" -> "long";
      case "F" -> "float";
      case "D" -> "double";
      default -> element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : element;
    };
    return name + "[]".repeat(dimensions);
  }

  private static List<JavaFrame> frames(RecordedStackTrace stack) {
    List<JavaFrame> frames = new ArrayList<>(stack.getFrames().size());
    for (RecordedFrame frame : stack.getFrames()) {
      RecordedMethod method = frame.getMethod();
      if (method != null && frame.isJavaFrame()) {
        frames.add(new JavaFrame(method.getType().getName() + "." + method.getName(), frame.getType()));
      }
    }
    return List.copyOf(frames);
  }

  private static long epochNanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  /** Stops the JVM's sampling of Java stacks of threads running Java code, now or at start. */
  public void stopExecutionSamples() {
    stop(List.of("jdk.ExecutionSample"));
  }

  /** Stops the JVM's sampling of Java stacks of threads in native code, now or at start. */
  public void stopNativeSamples() {
    stop(List.of("jdk.NativeMethodSample"));
  }

  /** Stops recording blocks in Java code, now or at start. */
  public void stopBlocks() {
    stop(BLOCKING_EVENTS);
  }

  /**
   * Where virtual threads' blocks go from now on (blocks are recorded while {@link
   * #stopBlocks()} has not been called); null drops them again.
   */
  public void onVirtualBlocks(Consumer<JavaVirtualBlock> consumer) {
    virtualBlocks = consumer;
  }

  /** Stops recording socket reads and writes, now or at start. */
  public void stopSockets() {
    stop(SOCKET_EVENTS);
  }

  /**
   * Disables events nothing needs any more (their probe did not start). With quiet events, through
   * {@link QuietEvents}, which alone then changes the running stream's settings: two writers of
   * the whole settings map would lose each other's changes.
   */
  private synchronized void stop(List<String> events) {
    stopped.addAll(events);
    if (stream != null && quiet != null) {
      quiet.disable(events);
    } else if (stream != null) {
      events.forEach(stream::disable);
    }
  }

  /**
   * Whether JFR is done starting: it has handed over a first batch, failed, or was closed. Until
   * then nothing else should create a JVMTI environment in this JVM: doing so while JFR starts has
   * been seen to leave JFR's start waiting forever for a recorder thread that never came.
   */
  public boolean started() {
    return flushed || failure != null || isClosed();
  }

  private synchronized boolean isClosed() {
    return closed;
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
    if (quiet != null) {
      FlightRecorder.removeListener(quiet);
    }
    // stop() delivers the last events and ends the stream thread. At JVM exit JFR's own shutdown
    // hook may have stopped the recording first (stop() then throws), or may hold stop() up:
    // what was delivered by then is what there is.
    // Both on a daemon: the caller (the report at exit) waits WAIT_LIMIT at most, whatever JFR does.
    join(daemon("jvm-ebpf-jfr-stop", () -> {
      try {
        s.stop();
      } catch (IllegalStateException stoppedByJfrShutdown) {
        // stopped already: close below
      } finally {
        s.close();
      }
    }));
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
