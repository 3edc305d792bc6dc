package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles to the C library, for what libbpf leaves to its caller: closing descriptors it
 * hands over, and the memory mapping and epoll that {@link RingBuffer} does itself. Each handle is
 * named after the C function it binds; those marked with errno take a {@link Libbpf#callState}
 * segment first and return -1 (or {@code MAP_FAILED}) on failure. The constants are Linux's on
 * x86-64 and aarch64, the architectures the agent supports.
 */
final class Libc {
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MAP_SHARED = 1;
  static final int MAP_PRIVATE = 2;
  static final int MAP_FIXED = 0x10;
  static final int MAP_ANONYMOUS = 0x20;
  static final long MAP_FAILED = -1L;
  static final int EPOLL_CLOEXEC = 0x80000; // O_CLOEXEC
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLLIN = 1;
  static final int EINTR = 4;
  private static final int SC_PAGESIZE = 30; // _SC_PAGESIZE in glibc and musl

  private static final Linker LINKER = Linker.nativeLinker();

  static final MethodHandle close = downcall("close", JAVA_INT, JAVA_INT);
  static final MethodHandle sysconf = downcall("sysconf", JAVA_LONG, JAVA_INT);
  /** errno; returns {@code MAP_FAILED}, not NULL, on failure. */
  static final MethodHandle mmap =
      downcallSettingErrno(
          "mmap", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
  static final MethodHandle munmap = downcall("munmap", JAVA_INT, ADDRESS, JAVA_LONG);
  /** errno. */
  static final MethodHandle epoll_create1 =
      downcallSettingErrno("epoll_create1", JAVA_INT, JAVA_INT);
  /** errno. */
  static final MethodHandle epoll_ctl =
      downcallSettingErrno("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
  /** errno. */
  static final MethodHandle epoll_wait =
      downcallSettingErrno("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);

  private Libc() {}

  /** The page size mappings are made of: a power of two, at least 4 KiB on Linux. */
  static long pageSize() {
    long size;
    try {
      size = (long) sysconf.invokeExact(SC_PAGESIZE);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
    if (size < 4096 || Long.bitCount(size) != 1) {
      throw new BpfException(0, "sysconf(_SC_PAGESIZE) returned " + size);
    }
    return size;
  }

  /**
   * Maps {@code length} bytes of {@code fd} from {@code offset}, shared, and returns the address;
   * {@code doing} names it in the error. {@code callState} from {@link Libbpf#callState}.
   */
  static long mmapShared(MemorySegment callState, int fd, long length, int protection, long offset, String doing) {
    MemorySegment address;
    try {
      address = (MemorySegment) mmap.invokeExact(callState, MemorySegment.NULL, length, protection, MAP_SHARED, fd, offset);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
    if (address.address() == MAP_FAILED) {
      throw Errors.failure(Libbpf.errno(callState), doing + " (" + length + " bytes)");
    }
    return address.address();
  }

  /** Unmaps what {@link #mmapShared} mapped, when closing: nothing to do about a failure then. */
  static void munmapQuietly(long address, long length) {
    try {
      int unused = (int) munmap.invokeExact(MemorySegment.ofAddress(address), length);
    } catch (Throwable t) {
      // munmap only fails on arguments we got from mmap.
    }
  }

  private static MethodHandle downcall(String name, MemoryLayout result, MemoryLayout... args) {
    return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
  }

  private static MethodHandle downcallSettingErrno(
      String name, MemoryLayout result, MemoryLayout... args) {
    return LINKER.downcallHandle(
        symbol(name), FunctionDescriptor.of(result, args), Linker.Option.captureCallState("errno"));
  }

  private static MemorySegment symbol(String name) {
    return LINKER
        .defaultLookup()
        .find(name)
        .orElseThrow(() -> new LinkageError("libc has no " + name));
  }
}
