package io.jvmebpf.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/** One program of a {@link BpfObject}; attaching it makes a {@link BpfLink} owned by the object. */
public final class BpfProgram {
  private static final long UPROBE_OPTS_SIZE = 40;

  private final BpfObject object;
  private final MemorySegment handle;
  private final String name;

  BpfProgram(BpfObject object, MemorySegment handle) {
    this.object = object;
    this.handle = handle;
    try {
      this.name = ((MemorySegment) Libbpf.bpf_program__name.invokeExact(handle)).reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  public String name() {
    return name;
  }

  public int fd() {
    try {
      return (int) Libbpf.bpf_program__fd.invokeExact(handle);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** Attaches where the program's section name says ({@code raw_tp/NAME}, {@code tp_btf/NAME}...). */
  public BpfLink attach() {
    object.requireLoaded("attaching " + name);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libbpf.callState(arena);
      MemorySegment link = (MemorySegment) Libbpf.bpf_program__attach.invokeExact(state, handle);
      return linked(Errors.check(link, state, "attaching BPF program " + name));
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /** Attaches to a raw tracepoint by name ({@code sched_switch}); needs no tracefs. */
  public BpfLink attachRawTracepoint(String tracepoint) {
    object.requireLoaded("attaching " + name);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libbpf.callState(arena);
      MemorySegment link =
          (MemorySegment)
              Libbpf.bpf_program__attach_raw_tracepoint.invokeExact(
                  state, handle, arena.allocateFrom(tracepoint));
      return linked(
          Errors.check(link, state, "attaching " + name + " to raw tracepoint " + tracepoint));
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /**
   * Attaches to an open perf event; {@code perfEventFd} is the link's from then on, closed when it
   * is destroyed, or at once if attaching fails.
   */
  public BpfLink attachPerfEvent(int perfEventFd) {
    object.requireLoaded("attaching " + name);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libbpf.callState(arena);
      MemorySegment link =
          (MemorySegment) Libbpf.bpf_program__attach_perf_event.invokeExact(state, handle, perfEventFd);
      if (link.equals(MemorySegment.NULL)) {
        int errno = Libbpf.errno(state);
        int unused = (int) Libc.close.invokeExact(perfEventFd); // not the link's on failure
        throw Errors.failure(errno, "attaching " + name + " to perf event fd " + perfEventFd);
      }
      return linked(link);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /**
   * Attaches a uprobe (or uretprobe) to {@code function} in the ELF file {@code binaryPath} (a full
   * path: an executable or shared library), firing in process {@code pid} only, or in every process
   * with -1. libbpf finds the function's offset in the file's symbol tables.
   */
  public BpfLink attachUprobe(boolean retprobe, int pid, String binaryPath, String function) {
    object.requireLoaded("attaching " + name);
    try (Arena arena = Arena.ofConfined()) {
      // struct bpf_uprobe_opts { size_t sz; size_t ref_ctr_offset; __u64 bpf_cookie;
      //                          bool retprobe; const char *func_name; ... } (libbpf 1.0+)
      MemorySegment opts = arena.allocate(UPROBE_OPTS_SIZE, 8);
      opts.set(ValueLayout.JAVA_LONG, 0, UPROBE_OPTS_SIZE);
      opts.set(ValueLayout.JAVA_BOOLEAN, 24, retprobe);
      opts.set(ValueLayout.ADDRESS, 32, arena.allocateFrom(function));
      MemorySegment state = Libbpf.callState(arena);
      MemorySegment link =
          (MemorySegment)
              Libbpf.bpf_program__attach_uprobe_opts.invokeExact(
                  state, handle, pid, arena.allocateFrom(binaryPath), 0L, opts);
      return linked(Errors.check(
          link, state, "attaching " + name + " as " + (retprobe ? "uretprobe" : "uprobe") + " to "
              + function + " in " + binaryPath));
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  /**
   * Total time the kernel spent running this program and how many runs, counted only while some
   * process holds {@link BpfStats#enable()}.
   */
  public RunStats runStats() {
    Map<String, String> info = FdInfo.read(fd());
    return new RunStats(FdInfo.longValue(info, "run_time_ns"), FdInfo.longValue(info, "run_cnt"));
  }

  private BpfLink linked(MemorySegment link) {
    return object.register(new BpfLink(name, link, object));
  }

  /** Run time and run count of a program, as the kernel's {@code BPF_ENABLE_STATS} counts them. */
  public record RunStats(long runTimeNs, long runCount) {}
}
