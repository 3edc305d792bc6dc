package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.BiConsumer;

/**
 * Routes libbpf's own messages (its {@code libbpf_set_print} callback) to a sink the agent sets,
 * instead of libbpf's default of the host's stderr. The callback receives a {@code va_list}, which
 * libc's {@code vsnprintf} formats; on x86_64 and aarch64 alike it arrives and leaves as a pointer.
 */
public final class LibbpfLog {
  /** libbpf's {@code enum libbpf_print_level}. */
  public enum Level {
    WARN,
    INFO,
    DEBUG
  }

  private static final int MESSAGE_BYTES = 2048;
  private static volatile BiConsumer<Level, String> sink = (level, message) -> {};
  private static volatile boolean installed;

  private LibbpfLog() {}

  /** Where libbpf's messages go from now on; the default drops them. */
  public static void setSink(BiConsumer<Level, String> newSink) {
    sink = newSink;
    install();
  }

  static synchronized void install() {
    if (installed) {
      return;
    }
    try {
      MethodHandle target =
          MethodHandles.lookup()
              .findStatic(
                  LibbpfLog.class,
                  "print",
                  MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
      // Registered for the life of the process: libbpf keeps the pointer.
      MemorySegment callback =
          Libbpf.linker()
              .upcallStub(target, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
      MemorySegment previous = (MemorySegment) Libbpf.libbpf_set_print.invokeExact(callback);
      installed = true;
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  private static final MethodHandle VSNPRINTF =
      Libbpf.linker()
          .downcallHandle(
              Libbpf.linker().defaultLookup().find("vsnprintf").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));

  /** The upcall: must never throw into native code. */
  private static int print(int level, MemorySegment format, MemorySegment args) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(MESSAGE_BYTES);
      int unused = (int) VSNPRINTF.invokeExact(buffer, (long) MESSAGE_BYTES, format, args);
      Level l = level >= 0 && level < Level.values().length ? Level.values()[level] : Level.DEBUG;
      sink.accept(l, buffer.getString(0).stripTrailing());
    } catch (Throwable ignored) {
      // A log line is not worth crashing the host for.
    }
    return 0;
  }
}
