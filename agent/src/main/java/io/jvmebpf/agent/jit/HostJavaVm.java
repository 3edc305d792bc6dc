package io.jvmebpf.agent.jit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The {@code JavaVM*} of this process, which JVMTI environments are obtained from, through {@code
 * JNI_GetCreatedJavaVMs} of the libjvm that is already loaded.
 */
final class HostJavaVm {
  private HostJavaVm() {}

  static MemorySegment find() {
    String libjvm = libjvmPath();
    SymbolLookup jvm;
    try {
      // The same path as the loaded copy: dlopen hands back that copy, it loads nothing new.
      jvm = SymbolLookup.libraryLookup(libjvm, Arena.global());
    } catch (IllegalArgumentException e) {
      throw new JvmtiException("could not open this JVM's " + libjvm + " to find its JavaVM", e);
    }
    MemorySegment symbol =
        jvm.find("JNI_GetCreatedJavaVMs")
            .orElseThrow(
                () ->
                    new JvmtiException(
                        libjvm + " exports no JNI_GetCreatedJavaVMs: not a HotSpot-like JVM"));
    MethodHandle getCreatedJavaVms =
        Linker.nativeLinker()
            .downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment vms = arena.allocate(ADDRESS);
      MemorySegment count = arena.allocate(JAVA_INT);
      int rc = (int) getCreatedJavaVms.invokeExact(vms, 1, count);
      if (rc != 0 || count.get(JAVA_INT, 0) < 1) {
        throw new JvmtiException("JNI_GetCreatedJavaVMs found no JavaVM (returned " + rc + ")");
      }
      return vms.get(ADDRESS, 0);
    } catch (JvmtiException e) {
      throw e;
    } catch (Throwable t) {
      throw new JvmtiException("JNI_GetCreatedJavaVMs could not be called: " + t, t);
    }
  }

  /**
   * Where the running libjvm was loaded from, as the process's mappings show: right for the server,
   * client and any other VM variant and for JVMs embedded by a launcher of their own. Never a
   * guessed path: opening a libjvm that is not the loaded one would load a second JVM library.
   */
  static String libjvmPath() {
    try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
      return maps.map(HostJavaVm::mappedPath)
          .filter(path -> path.endsWith("/libjvm.so"))
          .findFirst()
          .orElseThrow(() -> new JvmtiException("no libjvm.so is mapped in this process"));
    } catch (IOException | UncheckedIOException e) {
      throw new JvmtiException("could not read /proc/self/maps to find libjvm.so: " + e, e);
    }
  }

  /**
   * The file of one mapping ("start-end perms offset dev inode /path"), "" for anonymous ones. A
   * file replaced since (a JDK upgraded under the running JVM) shows as "/path (deleted)": the
   * loader still knows the library by its original path, so that is the one to give it.
   */
  private static String mappedPath(String line) {
    int slash = line.indexOf('/');
    String path = slash < 0 ? "" : line.substring(slash);
    return path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
  }
}
