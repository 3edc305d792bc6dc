package io.jvmebpf.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The one place libbpf and libc results become exceptions; call sites say what they were doing. */
final class Errors {
  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int EINVAL = 22;
  private static final int ENOSYS = 38;
  private static final int EOPNOTSUPP = 95;

  private Errors() {}

  /** A libbpf 1.x int result: negative is {@code -errno}. */
  static int check(int result, String doing) {
    if (result < 0) {
      throw failure(-result, doing);
    }
    return result;
  }

  /** A libbpf 1.x pointer result: NULL means failure, with errno captured in {@code callState}. */
  static MemorySegment check(MemorySegment result, MemorySegment callState, String doing) {
    if (result.equals(MemorySegment.NULL)) {
      throw failure(Libbpf.errno(callState), doing);
    }
    return result;
  }

  /** A libc int result: -1 means failure, with errno captured in {@code callState}. */
  static int checkLibc(int result, MemorySegment callState, String doing) {
    if (result == -1) {
      throw failure(Libbpf.errno(callState), doing);
    }
    return result;
  }

  static BpfException failure(int errno, String doing) {
    return new BpfException(errno, doing + ": " + strerror(errno) + " (errno " + errno + ")" + hint(errno));
  }

  /** Throwables from {@code invokeExact} are ours or the VM's: pass them on unwrapped. */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    // A missing libbpf surfaces first as Libbpf's failed static initialization.
    if (t instanceof ExceptionInInitializerError e && e.getCause() instanceof BpfException b) {
      return b;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new BpfException("unexpected checked exception from a native call", t);
  }

  private static String hint(int errno) {
    return switch (errno) {
      case EPERM -> "; the process needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN, or root)";
      case ENOENT -> "; the kernel does not have this object (tracepoint, symbol or map entry)";
      case ENOSYS, EOPNOTSUPP -> "; this kernel does not support it";
      case EINVAL -> "; rejected as invalid (loglevel=debug shows libbpf's own explanation)";
      default -> "";
    };
  }

  private static String strerror(int errno) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(256);
      int unused = (int) Libbpf.libbpf_strerror.invokeExact(errno, buf, buf.byteSize());
      return buf.getString(0);
    } catch (Throwable t) {
      return "error " + errno;
    }
  }
}
