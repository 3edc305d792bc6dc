package io.jvmebpf.agent.probe.files;

import static io.jvmebpf.agent.probe.files.FilesLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.config.FilesOptions;
import io.jvmebpf.agent.probe.BpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.probe.syscalls.SyscallTable;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per file of the host JVM: bytes and calls of reads and writes, syncs and the time in them, per
 * thread, aggregated in the kernel by {@code files.bpf.c} on the raw {@code sys_enter}/{@code
 * sys_exit} tracepoints. User space reads the maps once, at report time, and names what the
 * kernel saw opened by the path given to open, everything else from {@code /proc/self/fd}.
 */
public final class FilesProbe extends BpfProbe {
  /** Which syscalls do what to a file; those this architecture lacks (aarch64: open) are skipped. */
  private static final Map<String, Byte> OPS = Map.ofEntries(
      Map.entry("open", OP_OPEN),
      Map.entry("openat", OP_OPENAT),
      Map.entry("openat2", OP_OPENAT),
      Map.entry("read", OP_READ),
      Map.entry("pread64", OP_READ),
      Map.entry("readv", OP_READ),
      Map.entry("preadv", OP_READ),
      Map.entry("preadv2", OP_READ),
      Map.entry("write", OP_WRITE),
      Map.entry("pwrite64", OP_WRITE),
      Map.entry("writev", OP_WRITE),
      Map.entry("pwritev", OP_WRITE),
      Map.entry("pwritev2", OP_WRITE),
      Map.entry("fsync", OP_SYNC),
      Map.entry("fdatasync", OP_SYNC),
      Map.entry("close", OP_CLOSE));

  private final SyscallTable table;
  private final FilesOptions options;
  private ThreadRegistry threads;
  private FdNames fdNames;

  public FilesProbe(SyscallTable table, FilesOptions options) {
    super("files");
    this.table = table;
    this.options = options;
  }

  @Override
  public String name() {
    return "files";
  }

  @Override
  protected void configure(MemorySegment rodata, BpfObject object, ProbeContext context) {
    int known = 0;
    for (Map.Entry<String, Byte> op : OPS.entrySet()) {
      int nr = table.number(op.getKey()).orElse(NR_LIMIT);
      if (nr < NR_LIMIT) {
        rodata.set(JAVA_BYTE, CONFIG_OP + nr, op.getValue());
        known++;
      }
    }
    if (known == 0) {
      throw new IllegalStateException("no syscall table for " + System.getProperty("os.arch"));
    }
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("io"), KEY.byteSize(), IO.byteSize());
    requireSize(object.map("paths"), JAVA_LONG.byteSize(), PATH_MAX);
    requireSize(object.map("fd_closes"), JAVA_INT.byteSize(), JAVA_INT.byteSize());
  }

  /**
   * A call entered before the pause and ended in it would otherwise be measured across it. And
   * closes are seen in {@code sys_enter}, detached during a pause: an fd closed then and its
   * number reused by an open also unseen would be summed into the closed file. So every fd seen
   * opened is forgotten, as a close does, and its closes counted one more: after the pause it is
   * a new life of its number, named from /proc now (the file open at the resume) or at the report.
   */
  @Override
  protected void resuming(BpfObject object) {
    object.map("calls").clear();
    BpfMap fds = object.map("fds");
    BpfMap closes = object.map("fd_closes");
    List<Integer> seenOpened = new ArrayList<>();
    fds.forEach((key, value) -> seenOpened.add(key.get(JAVA_INT, 0)));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocate(JAVA_INT);
      MemorySegment count = arena.allocate(JAVA_INT);
      for (int fd : seenOpened) {
        key.set(JAVA_INT, 0, fd);
        fds.delete(key);
        if (fd >= 0 && fd < FD_LIMIT && closes.lookup(key, count)) {
          int generation = count.get(JAVA_INT, 0) + 1;
          count.set(JAVA_INT, 0, generation);
          closes.update(key, count);
          fdNames.atResume(fd, generation);
        }
      }
    }
  }

  @Override
  protected long configSize() {
    return CONFIG.byteSize();
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    threads = context.threads();
    // After attaching: an fd open now is either named here or seen opened by the kernel.
    fdNames = FdNames.readAtStart();
  }

  @Override
  public void contribute(ReportBuilder report) {
    BpfObject object = object();
    if (object == null) {
      return;
    }
    Map<Long, String> paths = new HashMap<>();
    object.map("paths").forEach((key, value) -> paths.put(key.get(JAVA_LONG, 0), path(value)));
    FileTable table = new FileTable();
    BpfMap closes = object.map("fd_closes");
    object.map("io").forEach((key, value) -> {
      long openId = key.get(JAVA_LONG, KEY_OPEN_ID);
      int fd = key.get(JAVA_INT, KEY_FD);
      String path = openId == 0
          ? fdNames.name(fd, key.get(JAVA_INT, KEY_GENERATION), currentGeneration(closes, fd))
          : paths.getOrDefault(openId, "[path lost]");
      table.add(path, key.get(JAVA_INT, KEY_TID),
          value.get(JAVA_LONG, IO_BYTES_READ), value.get(JAVA_LONG, IO_BYTES_WRITTEN),
          value.get(JAVA_LONG, IO_READS), value.get(JAVA_LONG, IO_WRITES), value.get(JAVA_LONG, IO_FSYNCS),
          value.get(JAVA_LONG, IO_TOTAL_NS), value.get(JAVA_LONG, IO_MAX_NS));
    });
    report.files(table.summaries(options.max(), tid -> threads.identify(tid).name()));
    BpfMap overflows = object.map("overflows");
    report.dropped("files.ioMapFull", overflows.counter(OVERFLOW_IO_FULL));
    report.dropped("files.inflightMapFull", overflows.counter(OVERFLOW_INFLIGHT_FULL));
    report.dropped("files.fdMapFull", overflows.counter(OVERFLOW_FDS_FULL));
    report.dropped("files.pathMapFull", overflows.counter(OVERFLOW_PATHS_FULL));
  }

  /** How many closes of {@code fd} the kernel has counted so far. */
  private static int currentGeneration(BpfMap closes, int fd) {
    if (fd < 0 || fd >= FD_LIMIT) {
      return GENERATION_UNKNOWN;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocateFrom(JAVA_INT, fd);
      MemorySegment value = arena.allocate(JAVA_INT);
      return closes.lookup(key, value) ? value.get(JAVA_INT, 0) : GENERATION_UNKNOWN;
    }
  }

  /**
   * The path given to open, up to its NUL; a relative one made absolute against the JVM's working
   * directory, which a JVM never changes (a path relative to another directory's fd is kept as is).
   */
  private static String path(MemorySegment value) {
    int length = 0;
    while (length < PATH_MAX && value.get(JAVA_BYTE, length) != 0) {
      length++;
    }
    String path = new String(value.asSlice(0, length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    if (path.isEmpty()) {
      return "[path unreadable]";
    }
    if (!path.startsWith("/")) {
      try {
        return Path.of(path).toAbsolutePath().normalize().toString();
      } catch (InvalidPathException e) {
        return path;
      }
    }
    return path;
  }
}
