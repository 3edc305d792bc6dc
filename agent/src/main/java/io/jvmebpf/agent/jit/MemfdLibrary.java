package io.jvmebpf.agent.jit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Loads a shared library from bytes without writing it to disk: the bytes go into an anonymous
 * memory file ({@code memfd_create(2)}), which {@code dlopen} opens as {@code /proc/self/fd/N}.
 * Nothing is left behind in /tmp, and a read-only or noexec /tmp does not matter.
 */
final class MemfdLibrary {
  private static final int MFD_CLOEXEC = 0x1;

  /** Linux 6.3+: executable even where {@code vm.memfd_noexec=1} makes memfds noexec by default. */
  private static final int MFD_EXEC = 0x10;

  private static final int EINTR = 4;
  private static final int EINVAL = 22;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
  private static final MethodHandle MEMFD_CREATE =
      libc("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle WRITE =
      libc("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle CLOSE =
      libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  private MemfdLibrary() {}

  /**
   * Loads {@code elf} into the global arena: the library is never unloaded, since code of it may
   * run on JVM threads (callbacks) at any time. Its memfd stays open for the same lifetime, so no
   * later file can take the number, and with it the path, that the loader knows the library by.
   */
  static SymbolLookup load(String name, byte[] elf) {
    int fd = create(name);
    String path = "/proc/self/fd/" + fd;
    try {
      write(fd, elf, name);
      // The String overload: the Path one resolves the link to "/memfd:... (deleted)" first.
      return SymbolLookup.libraryLookup(path, Arena.global());
    } catch (IllegalArgumentException e) {
      close(fd);
      throw new JvmtiException(
          "the dynamic loader refused "
              + name
              + " from its memfd: this C library may be older than the one the agent was built"
              + " with, or memfds may not hold code here (sysctl vm.memfd_noexec=2)",
          e);
    } catch (RuntimeException e) {
      close(fd);
      throw e;
    }
  }

  private static int create(String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment cName = arena.allocateFrom(name);
      int fd = (int) MEMFD_CREATE.invokeExact(state, cName, MFD_CLOEXEC | MFD_EXEC);
      if (fd < 0 && errno(state) == EINVAL) {
        // Kernels before 6.3 do not know MFD_EXEC; their memfds are executable anyway.
        fd = (int) MEMFD_CREATE.invokeExact(state, cName, MFD_CLOEXEC);
      }
      if (fd < 0) {
        throw new JvmtiException(
            "memfd_create failed (errno "
                + errno(state)
                + "), so "
                + name
                + " has nowhere to be loaded from: Linux 3.17+ is needed, and memfds that can hold"
                + " code (not sysctl vm.memfd_noexec=2)");
      }
      return fd;
    } catch (JvmtiException e) {
      throw e;
    } catch (Throwable t) {
      throw new JvmtiException("memfd_create could not be called: " + t, t);
    }
  }

  private static void write(int fd, byte[] bytes, String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment data = arena.allocate(bytes.length);
      MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
      long done = 0;
      while (done < bytes.length) {
        long n = (long) WRITE.invokeExact(state, fd, data.asSlice(done), bytes.length - done);
        if (n == 0 || (n < 0 && errno(state) != EINTR)) {
          throw new JvmtiException(
              "writing " + name + " into its memfd failed (errno " + errno(state) + ")");
        }
        done += Math.max(n, 0);
      }
    } catch (JvmtiException e) {
      throw e;
    } catch (Throwable t) {
      throw new JvmtiException("write could not be called: " + t, t);
    }
  }

  private static void close(int fd) {
    try {
      int unused = (int) CLOSE.invokeExact(Arena.ofAuto().allocate(CALL_STATE), fd);
    } catch (Throwable t) {
      // Only a leaked descriptor on a path that fails anyway.
    }
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  private static MethodHandle libc(String function, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(function)
            .orElseThrow(
                () ->
                    new JvmtiException(
                        "the C library has no "
                            + function
                            + " (glibc 2.27+ or musl 1.1.20+ has it)"));
    return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
  }
}
