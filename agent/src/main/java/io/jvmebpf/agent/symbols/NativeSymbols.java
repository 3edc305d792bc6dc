package io.jvmebpf.agent.symbols;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * User-space addresses of this process to native frames: libjvm, libc, JNI libraries, the launcher.
 * The contract, in the order a profiler asks:
 *
 * <ul>
 *   <li>an address in a mapped file's code: the demangled, argument-free name of the function that
 *       contains it ({@code JavaThread::thread_main_inner}), or {@code [libfoo.so]} when no symbol
 *       covers it (a stripped library);
 *   <li>an address in anonymous memory, executable or not (the JIT code cache, its reserved part,
 *       stubs): null at once, "not mine": the JIT symbolizer names those;
 *   <li>an address in no mapping known (a library loaded since maps was read): maps is read again,
 *       at most once per second, and if still nothing, null, counted in {@link #misses()};
 *   <li>a kernel address (top bit set): null; {@link KernelSymbols} names those.
 * </ul>
 *
 * <p>Per-process state (the mappings, one lookup per address in a 64k-slot cache) lives here;
 * per-binary data (symbol tables, by build-id) in {@link LibraryCache}, parsed on the first address
 * in each file (Temurin 25's libjvm: 52,870 function addresses, 3.6 MB of heap, 150 to 300 ms the
 * first time in a JVM, under this object's lock). A cached address resolves in about 70 ns without
 * allocating. Cached frames stay as they were resolved: a library unloaded and another mapped at
 * the same addresses would keep the old names for addresses already seen. Thread-safe: every call
 * locks this object, so the report thread and the poll thread may both resolve.
 */
public final class NativeSymbols {
  static final long REREAD_INTERVAL_NANOS = 1_000_000_000L;
  private static final int CACHE_BITS = 16;

  private final Path maps;
  private final long rereadIntervalNanos;
  private final Demangler demangler = new Demangler();
  private final LibraryCache libraries = new LibraryCache();
  private final PcCache cache = new PcCache(CACHE_BITS);
  private ProcessMaps current;
  private LibrarySymbols[] symbolsByMapping;
  private long lastRead;
  private int mapsReads;
  private long misses;
  private String mapsProblem;

  NativeSymbols(Path maps, long rereadIntervalNanos) {
    this.maps = maps;
    this.rereadIntervalNanos = rereadIntervalNanos;
    readMaps();
  }

  public static NativeSymbols forThisProcess() {
    return new NativeSymbols(ProcessMaps.SELF, REREAD_INTERVAL_NANOS);
  }

  /**
   * @return the native frame of {@code pc}, or null when the address is not in a file's code
   */
  public synchronized Frame resolve(long pc) {
    if (pc <= 0) {
      return null; // no address, or the kernel's half of the address space
    }
    Frame cached = cache.get(pc);
    if (cached != null) {
      return cached == PcCache.NO_FRAME ? null : cached;
    }
    int index = current.find(pc);
    if (index < 0 && System.nanoTime() - lastRead >= rereadIntervalNanos) {
      readMaps();
      index = current.find(pc);
    }
    if (index < 0) {
      misses++; // not cached: the next read of maps may still find it
      return null;
    }
    Mapping mapping = current.get(index);
    if (mapping.isAnonymous() || !mapping.executable()) {
      return null; // not cached either: JIT code must not push native entries out
    }
    Frame frame;
    if (mapping.isFile()) {
      frame = symbols(index).resolve(pc - mapping.start() + mapping.offset(), demangler);
    } else {
      String name = mapping.path(); // [vdso]
      frame = new Frame(name.startsWith("[") ? name : "[" + name + "]", FrameKind.NATIVE);
    }
    cache.put(pc, frame);
    return frame;
  }

  /** Addresses found in no mapping, even after reading maps again. */
  public synchronized long misses() {
    return misses;
  }

  /** Reads of /proc/self/maps so far, the first one included. */
  public synchronized int mapsReads() {
    return mapsReads;
  }

  /** Distinct ELF files whose symbols were parsed. */
  public synchronized int librariesParsed() {
    return libraries.parsed();
  }

  /** Why some files or the maps gave no symbols, one sentence each. */
  public synchronized List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (mapsProblem != null) {
      problems.add(mapsProblem);
    }
    problems.addAll(libraries.problems());
    return problems;
  }

  private LibrarySymbols symbols(int index) {
    LibrarySymbols symbols = symbolsByMapping[index];
    if (symbols == null) {
      symbols = libraries.forMapping(current.get(index));
      symbolsByMapping[index] = symbols;
    }
    return symbols;
  }

  private void readMaps() {
    lastRead = System.nanoTime();
    mapsReads++;
    try {
      current = ProcessMaps.read(maps);
      mapsProblem = null;
    } catch (IOException e) {
      mapsProblem = "cannot read " + maps + " (" + e + ")";
      if (current != null) {
        return; // keep what was known
      }
      current = ProcessMaps.EMPTY;
    }
    symbolsByMapping = new LibrarySymbols[current.size()];
  }
}
