package io.jvmebpf.bpf;

/**
 * Holds the kernel's {@code BPF_ENABLE_STATS(BPF_STATS_RUN_TIME)} on: while open, the kernel times
 * every BPF program run (a few ns each), which {@link BpfProgram#runStats()} reads. Needs
 * CAP_SYS_ADMIN.
 */
public final class BpfStats implements AutoCloseable {
  private static final int BPF_STATS_RUN_TIME = 0;

  private final int fd;
  private boolean closed;

  private BpfStats(int fd) {
    this.fd = fd;
  }

  public static BpfStats enable() {
    try {
      int fd = (int) Libbpf.bpf_enable_stats.invokeExact(BPF_STATS_RUN_TIME);
      return new BpfStats(Errors.check(fd, "enabling BPF run-time statistics"));
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      int unused = (int) Libc.close.invokeExact(fd);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }
}
