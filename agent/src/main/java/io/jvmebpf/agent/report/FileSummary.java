package io.jvmebpf.agent.report;

import java.util.List;

/**
 * One file (or socket, pipe...) of the JVM: what its reads, writes and syncs moved and cost, and
 * which threads did them.
 *
 * @param kind {@code file}, {@code socket}, {@code pipe}, {@code anon} (an anonymous inode: epoll,
 *     eventfd...) or {@code other}; the row holding the files past {@code files.max} is {@code other}
 * @param totalNs time in the read, write and sync calls
 * @param threads heaviest first
 */
public record FileSummary(
    String path, String kind, long bytesRead, long bytesWritten, long reads, long writes, long fsyncs,
    long totalNs, long maxNs, List<Thread> threads) {

  /** One thread's share of a file. */
  public record Thread(int tid, String name, long bytesRead, long bytesWritten) {}

  public long bytes() {
    return bytesRead + bytesWritten;
  }
}
