package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall handles to the system {@code libbpf.so.1} (libbpf >= 1.0, whose calls return
 * {@code -errno} or {@code NULL} with {@code errno} set). Only the classes of this package call
 * it; each handle is named after the C function it binds, see {@code /usr/include/bpf/libbpf.h}
 * and {@code bpf.h}.
 */
final class Libbpf {
  static final String LIBRARY = "libbpf.so.1";

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final SymbolLookup LIBBPF = openLibrary();

  static final MethodHandle bpf_object__open_mem =
      downcallSettingErrno("bpf_object__open_mem", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
  static final MethodHandle bpf_object__load = downcall("bpf_object__load", JAVA_INT, ADDRESS);
  static final MethodHandle bpf_object__close = downcallVoid("bpf_object__close", ADDRESS);
  static final MethodHandle bpf_object__next_program =
      downcall("bpf_object__next_program", ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle bpf_object__next_map =
      downcall("bpf_object__next_map", ADDRESS, ADDRESS, ADDRESS);

  static final MethodHandle bpf_program__name = downcall("bpf_program__name", ADDRESS, ADDRESS);
  static final MethodHandle bpf_program__fd = downcall("bpf_program__fd", JAVA_INT, ADDRESS);
  static final MethodHandle bpf_program__attach =
      downcallSettingErrno("bpf_program__attach", ADDRESS, ADDRESS);
  static final MethodHandle bpf_program__attach_raw_tracepoint =
      downcallSettingErrno("bpf_program__attach_raw_tracepoint", ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle bpf_program__attach_perf_event =
      downcallSettingErrno("bpf_program__attach_perf_event", ADDRESS, ADDRESS, JAVA_INT);
  static final MethodHandle bpf_program__attach_uprobe_opts =
      downcallSettingErrno(
          "bpf_program__attach_uprobe_opts", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
  static final MethodHandle bpf_link__destroy = downcall("bpf_link__destroy", JAVA_INT, ADDRESS);

  static final MethodHandle bpf_map__name = downcall("bpf_map__name", ADDRESS, ADDRESS);
  static final MethodHandle bpf_map__fd = downcall("bpf_map__fd", JAVA_INT, ADDRESS);
  static final MethodHandle bpf_map__type = downcall("bpf_map__type", JAVA_INT, ADDRESS);
  static final MethodHandle bpf_map__key_size = downcall("bpf_map__key_size", JAVA_INT, ADDRESS);
  static final MethodHandle bpf_map__value_size =
      downcall("bpf_map__value_size", JAVA_INT, ADDRESS);
  static final MethodHandle bpf_map__max_entries =
      downcall("bpf_map__max_entries", JAVA_INT, ADDRESS);
  static final MethodHandle bpf_map__set_max_entries =
      downcall("bpf_map__set_max_entries", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle bpf_map__initial_value =
      downcall("bpf_map__initial_value", ADDRESS, ADDRESS, ADDRESS);

  static final MethodHandle bpf_map_lookup_elem =
      downcall("bpf_map_lookup_elem", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle bpf_map_update_elem =
      downcall("bpf_map_update_elem", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
  static final MethodHandle bpf_map_delete_elem =
      downcall("bpf_map_delete_elem", JAVA_INT, JAVA_INT, ADDRESS);
  static final MethodHandle bpf_map_get_next_key =
      downcall("bpf_map_get_next_key", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle bpf_map_lookup_batch =
      downcall(
          "bpf_map_lookup_batch",
          JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);

  static final MethodHandle bpf_enable_stats = downcall("bpf_enable_stats", JAVA_INT, JAVA_INT);
  static final MethodHandle libbpf_set_print = downcall("libbpf_set_print", ADDRESS, ADDRESS);
  static final MethodHandle libbpf_strerror =
      downcall("libbpf_strerror", JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);
  static final MethodHandle libbpf_major_version =
      downcall("libbpf_major_version", JAVA_INT);
  static final MethodHandle libbpf_minor_version =
      downcall("libbpf_minor_version", JAVA_INT);

  private Libbpf() {}

  /** Allocates the segment that a {@link #downcallSettingErrno} handle takes first. */
  static MemorySegment callState(Arena arena) {
    return arena.allocate(CALL_STATE);
  }

  static int errno(MemorySegment callState) {
    return (int) ERRNO.get(callState, 0L);
  }

  static Linker linker() {
    return LINKER;
  }

  private static SymbolLookup openLibrary() {
    try {
      return SymbolLookup.libraryLookup(LIBRARY, Arena.global());
    } catch (IllegalArgumentException e) {
      throw new BpfException(
          0,
          LIBRARY + " could not be loaded: install libbpf 1.x (Debian/Ubuntu: apt-get install"
              + " libbpf1; Fedora/RHEL: dnf install libbpf)");
    }
  }

  private static MemorySegment symbol(String name) {
    return LIBBPF
        .find(name)
        .orElseThrow(
            () -> new BpfException(0, LIBRARY + " has no symbol " + name + ": libbpf 1.0+ is needed"));
  }

  private static MethodHandle downcall(
      String name, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
    return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
  }

  private static MethodHandle downcallVoid(String name, java.lang.foreign.MemoryLayout... args) {
    return LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(args));
  }

  /** For calls that report failure as NULL plus errno: the handle takes a call-state segment first. */
  private static MethodHandle downcallSettingErrno(
      String name, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
    return LINKER.downcallHandle(
        symbol(name),
        FunctionDescriptor.of(result, args),
        Linker.Option.captureCallState("errno"));
  }
}
