package io.jvmebpf.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A BPF ELF object ({@code struct bpf_object}): opened from bytes, configured (read-only globals,
 * map sizes), loaded into the kernel, then its programs attached. Closing it destroys every link
 * made through its programs, then the programs and maps.
 */
public final class BpfObject implements AutoCloseable {
  private static final String RESOURCE_FOLDER = "/io/jvmebpf/bpf/objects/";

  private final String name;
  private final Arena arena;
  private final MemorySegment handle;
  private final List<BpfLink> links = new ArrayList<>();
  private boolean loaded;
  private boolean closed;

  private BpfObject(String name, MemorySegment handle, Arena arena) {
    this.name = name;
    this.handle = handle;
    this.arena = arena;
  }

  /**
   * Opens one of the objects compiled from {@code bpf/src/main/bpf/NAME.bpf.c} and shipped in this
   * jar.
   */
  public static BpfObject openBundled(String name) {
    String resource = RESOURCE_FOLDER + name + ".bpf.o";
    try (InputStream in = BpfObject.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new BpfException(0, "BPF object " + resource + " is missing from the agent jar");
      }
      return open(name, in.readAllBytes());
    } catch (IOException e) {
      throw new BpfException("reading BPF object " + resource, e);
    }
  }

  /** Opens an ELF object from memory; libbpf parses it, nothing reaches the kernel yet. */
  public static BpfObject open(String name, byte[] elf) {
    LibbpfLog.install();
    // libbpf reads the ELF bytes in place rather than copying them: they live as long as the object.
    Arena lifetime = Arena.ofShared();
    try (Arena call = Arena.ofConfined()) {
      MemorySegment bytes = lifetime.allocate(elf.length, 8);
      MemorySegment.copy(elf, 0, bytes, ValueLayout.JAVA_BYTE, 0, elf.length);
      // struct bpf_object_open_opts { size_t sz; const char *object_name; ... }: libbpf reads
      // only the first sz bytes, so naming the object is all we set.
      MemorySegment opts = call.allocate(16, 8);
      opts.set(ValueLayout.JAVA_LONG, 0, 16);
      opts.set(ValueLayout.ADDRESS, 8, call.allocateFrom(name));
      MemorySegment state = Libbpf.callState(call);
      MemorySegment obj =
          (MemorySegment)
              Libbpf.bpf_object__open_mem.invokeExact(state, bytes, (long) elf.length, opts);
      return new BpfObject(name, Errors.check(obj, state, "opening BPF object " + name), lifetime);
    } catch (Throwable t) {
      lifetime.close();
      throw Errors.rethrow(t);
    }
  }

  public String name() {
    return name;
  }

  /**
   * The initial bytes of the object's {@code .rodata} section, writable until {@link #load()}: where
   * the program's {@code const volatile} configuration struct lives.
   */
  public MemorySegment readOnlyData() {
    requireNotLoaded("writing read-only data");
    return map(".rodata").initialValue();
  }

  /** Verifies and loads every program and creates every map in the kernel. */
  public void load() {
    requireNotLoaded("loading");
    try {
      Errors.check((int) Libbpf.bpf_object__load.invokeExact(handle), "loading BPF object " + name);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
    loaded = true;
  }

  public BpfProgram program(String programName) {
    for (BpfProgram p : programs()) {
      if (p.name().equals(programName)) {
        return p;
      }
    }
    throw new BpfException(0, "BPF object " + name + " has no program " + programName);
  }

  /** Finds a map by its name in C, or {@code .rodata}/{@code .bss}/{@code .data} for globals. */
  public BpfMap map(String mapName) {
    for (BpfMap m : maps()) {
      // libbpf names a global-data map after its object: "syscalls.rodata" for ".rodata".
      if (m.name().equals(mapName) || (mapName.startsWith(".") && m.name().endsWith(mapName))) {
        return m;
      }
    }
    throw new BpfException(0, "BPF object " + name + " has no map " + mapName);
  }

  public List<BpfProgram> programs() {
    List<BpfProgram> result = new ArrayList<>();
    try {
      MemorySegment p = MemorySegment.NULL;
      while (!(p = (MemorySegment) Libbpf.bpf_object__next_program.invokeExact(handle, p))
          .equals(MemorySegment.NULL)) {
        result.add(new BpfProgram(this, p));
      }
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
    return result;
  }

  public List<BpfMap> maps() {
    List<BpfMap> result = new ArrayList<>();
    try {
      MemorySegment m = MemorySegment.NULL;
      while (!(m = (MemorySegment) Libbpf.bpf_object__next_map.invokeExact(handle, m))
          .equals(MemorySegment.NULL)) {
        result.add(new BpfMap(this, m));
      }
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
    return result;
  }

  /** Attaches every program by its section name ({@code raw_tp/...}, {@code tp_btf/...}, ...). */
  public List<BpfLink> attachAll() {
    return attach(program -> true);
  }

  /**
   * Attaches the programs whose names {@code which} accepts, each by its section name: all or none,
   * so that a caller never runs with part of a probe attached (a failure detaches the links made
   * here again and is thrown).
   */
  public List<BpfLink> attach(Predicate<String> which) {
    List<BpfLink> attached = new ArrayList<>();
    try {
      for (BpfProgram p : programs()) {
        if (which.test(p.name())) {
          attached.add(p.attach());
        }
      }
    } catch (RuntimeException e) {
      attached.forEach(BpfObject::closeQuietly);
      throw e;
    }
    return attached;
  }

  /**
   * Detaches every program and forgets the links, keeping programs and maps loaded: the object
   * takes no new data until attached again, and its maps keep what they hold.
   */
  public void detachAll() {
    detach(program -> true);
  }

  /**
   * Detaches the links of the programs whose names {@code which} accepts; the others stay attached.
   * Every such link is closed whatever the others did; the first failure is thrown.
   */
  public void detach(Predicate<String> which) {
    List<BpfLink> detaching = new ArrayList<>();
    synchronized (this) {
      for (BpfLink link : links) {
        if (which.test(link.programName())) {
          detaching.add(link);
        }
      }
      links.removeAll(detaching);
    }
    // Outside the object's lock: a link's close takes the link's lock, then unregisters here.
    BpfException first = null;
    for (BpfLink link : detaching) {
      try {
        link.close();
      } catch (BpfException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The links of this object's programs that are attached now. */
  public synchronized List<BpfLink> links() {
    return List.copyOf(links);
  }

  synchronized BpfLink register(BpfLink link) {
    links.add(link);
    return link;
  }

  /** A link closed by whoever holds it (a perf event's, closed with its CPU) leaves the list. */
  synchronized void unregister(BpfLink link) {
    links.remove(link);
  }

  private static void closeQuietly(BpfLink link) {
    try {
      link.close();
    } catch (BpfException e) {
      // the first failure, attaching, is the one thrown
    }
  }

  void requireLoaded(String doing) {
    if (!loaded) {
      throw new BpfException(0, doing + ": BPF object " + name + " is not loaded yet");
    }
  }

  void requireNotLoaded(String doing) {
    if (loaded) {
      throw new BpfException(0, doing + ": BPF object " + name + " is already loaded");
    }
  }

  @Override
  public void close() {
    List<BpfLink> attached;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      attached = new ArrayList<>(links);
      links.clear();
    }
    // bpf_object__close below releases the programs whatever each link's state.
    attached.forEach(BpfObject::closeQuietly);
    try {
      Libbpf.bpf_object__close.invokeExact(handle);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    } finally {
      arena.close();
    }
  }
}
