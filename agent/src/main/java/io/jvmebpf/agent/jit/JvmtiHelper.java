package io.jvmebpf.agent.jit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The JVMTI helper library ({@code agent/src/main/c}) and its FFM bindings: loaded once per process
 * (per copy of this class) from the agent's own resources through a memfd, never unloaded. Each
 * handle is named after the C function it binds; their contracts are in {@code jvmti_helper.c}.
 */
final class JvmtiHelper {
  static final String LIBRARY = "libjvmebpf-jvmti-" + System.getProperty("os.arch") + ".so";
  private static final int ERROR_CAP = 512;
  private static final Linker LINKER = Linker.nativeLinker();

  private static JvmtiHelper loaded;
  private static JvmtiException failure;

  private final MethodHandle jvmebpf_jvmti_start;
  private final MethodHandle jvmebpf_jvmti_stop;
  private final MethodHandle jvmebpf_jvmti_drain;
  private final MethodHandle jvmebpf_jvmti_stats;
  private final MemorySegment javaVm;
  private final SymbolLookup library;
  private boolean running;

  private JvmtiHelper(SymbolLookup library, MemorySegment javaVm) {
    MethodHandle abi = downcall(library, "jvmebpf_jvmti_abi", FunctionDescriptor.of(JAVA_INT));
    int version;
    try {
      version = (int) abi.invokeExact();
    } catch (Throwable t) {
      throw new JvmtiException("the JVMTI helper's version could not be read: " + t, t);
    }
    if (version != JvmtiRecords.ABI) {
      throw new JvmtiException(
          LIBRARY
              + " speaks record version "
              + version
              + " but the agent reads "
              + JvmtiRecords.ABI
              + ": the agent jar is inconsistent, rebuild it");
    }
    jvmebpf_jvmti_start =
        downcall(
            library,
            "jvmebpf_jvmti_start",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    jvmebpf_jvmti_stop = downcall(library, "jvmebpf_jvmti_stop", FunctionDescriptor.ofVoid());
    jvmebpf_jvmti_drain =
        downcall(
            library, "jvmebpf_jvmti_drain", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    jvmebpf_jvmti_stats =
        downcall(library, "jvmebpf_jvmti_stats", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
    this.javaVm = javaVm;
    this.library = library;
  }

  /** The loaded library, for the helper's other halves ({@link VirtualThreadMounts}). */
  SymbolLookup library() {
    return library;
  }

  MemorySegment javaVm() {
    return javaVm;
  }

  /** The helper, loaded on the first call; a failure is remembered, not retried. */
  static synchronized JvmtiHelper load() {
    if (loaded == null && failure == null) {
      try {
        byte[] elf = readResource();
        loaded = new JvmtiHelper(MemfdLibrary.load(LIBRARY, elf), HostJavaVm.find());
      } catch (ExceptionInInitializerError e) {
        failure = failureOf(e.getCause());
      } catch (RuntimeException e) {
        failure = failureOf(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return loaded;
  }

  /**
   * Turns the events on and replays the code that exists already into the helper's log, which it
   * empties first: the records drained next describe the whole code cache.
   *
   * @throws IllegalStateException when a code map is using the helper already
   */
  synchronized void start() {
    if (running) {
      throw new IllegalStateException(
          "a JIT code map is running already in this JVM: close it before starting another");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment error = arena.allocate(ERROR_CAP);
      int rc = (int) jvmebpf_jvmti_start.invokeExact(javaVm, error, (long) ERROR_CAP);
      if (rc != 0) {
        throw new JvmtiException(
            "JVMTI did not start: "
                + error.getString(0)
                + "; without it, samples in JIT-compiled code"
                + " are not named");
      }
      running = true;
    } catch (JvmtiException e) {
      throw e;
    } catch (Throwable t) {
      throw new JvmtiException("the JVMTI helper could not be started: " + t, t);
    }
  }

  /** Turns the events off and frees the log; harmless when not running. */
  synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    try {
      jvmebpf_jvmti_stop.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("jvmebpf_jvmti_stop failed", t);
    }
  }

  /**
   * Moves pending records into {@code buffer} (at least {@link JvmtiRecords#MAX_RECORD} bytes).
   *
   * @return the bytes written, 0 when nothing is pending
   */
  long drain(MemorySegment buffer) {
    try {
      return (long) jvmebpf_jvmti_drain.invokeExact(buffer, buffer.byteSize());
    } catch (Throwable t) {
      throw new IllegalStateException("jvmebpf_jvmti_drain failed", t);
    }
  }

  /** The helper's counters, indexed by the {@code STAT_} constants of {@link JvmtiRecords}. */
  long[] stats() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_LONG, JvmtiRecords.STAT_COUNT);
      jvmebpf_jvmti_stats.invokeExact(out, JvmtiRecords.STAT_COUNT);
      return out.toArray(JAVA_LONG);
    } catch (Throwable t) {
      throw new IllegalStateException("jvmebpf_jvmti_stats failed", t);
    }
  }

  private static JvmtiException failureOf(Throwable t) {
    if (t instanceof JvmtiException e) {
      return e;
    }
    if (t instanceof IllegalCallerException) {
      return new JvmtiException(
          "the agent's module has no native access, which loading the JVMTI helper needs ("
              + t.getMessage()
              + ")",
          t);
    }
    return new JvmtiException("the JVMTI helper could not be loaded: " + t, t);
  }

  private static byte[] readResource() {
    try (InputStream in = JvmtiHelper.class.getResourceAsStream(LIBRARY)) {
      if (in == null) {
        throw new JvmtiException(
            "the agent jar holds no JVMTI helper for "
                + System.getProperty("os.arch")
                + " ("
                + LIBRARY
                + "): build the agent on this architecture");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new JvmtiException("could not read " + LIBRARY + " from the agent jar: " + e, e);
    }
  }

  static MethodHandle downcall(
      SymbolLookup library, String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        library
            .find(name)
            .orElseThrow(
                () ->
                    new JvmtiException(
                        LIBRARY
                            + " has no symbol "
                            + name
                            + ": the agent jar is inconsistent, rebuild it"));
    return LINKER.downcallHandle(symbol, descriptor);
  }
}
