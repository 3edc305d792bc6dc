package io.jvmebpf.agent.probe.files;

import io.jvmebpf.agent.report.FileSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The kernel's (open, thread) entries merged by path, and per path by thread; heaviest first (bytes,
 * then time), at most {@code max} rows and one {@code [other]} row holding the rest.
 */
final class FileTable {
  static final String OTHER = "[other]";

  private final Map<String, Row> rows = new HashMap<>();

  /** One kernel entry: the reads and writes of one thread on one open of {@code path}. */
  void add(String path, int tid, long bytesRead, long bytesWritten, long reads, long writes, long fsyncs,
      long totalNs, long maxNs) {
    rows.computeIfAbsent(path, p -> new Row(p, kindOf(p)))
        .add(tid, bytesRead, bytesWritten, reads, writes, fsyncs, totalNs, maxNs);
  }

  /** What {@code readlink} of an fd (or the path given to open) says the file is. */
  static String kindOf(String path) {
    if (path.startsWith("/")) {
      return "file";
    } else if (path.startsWith("socket:")) {
      return "socket";
    } else if (path.startsWith("pipe:")) {
      return "pipe";
    } else if (path.startsWith("anon_inode:")) {
      return "anon";
    }
    return "other";
  }

  List<FileSummary> summaries(int max, IntFunction<String> threadName) {
    List<Row> sorted = new ArrayList<>(rows.values());
    sorted.sort(HEAVIEST_FIRST);
    List<FileSummary> out = new ArrayList<>();
    Row other = new Row(OTHER, "other");
    for (int i = 0; i < sorted.size(); i++) {
      if (i < max) {
        out.add(sorted.get(i).summary(threadName));
      } else {
        other.merge(sorted.get(i));
      }
    }
    if (sorted.size() > max) {
      out.add(other.summary(threadName));
    }
    return out;
  }

  private static final Comparator<Row> HEAVIEST_FIRST =
      Comparator.comparingLong((Row r) -> r.bytesRead + r.bytesWritten).reversed()
          .thenComparing(Comparator.comparingLong((Row r) -> r.totalNs).reversed())
          .thenComparing(r -> r.path);

  private static final class Row {
    final String path;
    final String kind;
    long bytesRead, bytesWritten, reads, writes, fsyncs, totalNs, maxNs;
    final Map<Integer, long[]> threads = new LinkedHashMap<>(); // tid -> {read, written}

    Row(String path, String kind) {
      this.path = path;
      this.kind = kind;
    }

    void add(int tid, long bytesRead, long bytesWritten, long reads, long writes, long fsyncs,
        long totalNs, long maxNs) {
      this.bytesRead += bytesRead;
      this.bytesWritten += bytesWritten;
      this.reads += reads;
      this.writes += writes;
      this.fsyncs += fsyncs;
      this.totalNs += totalNs;
      this.maxNs = Math.max(this.maxNs, maxNs);
      long[] bytes = threads.computeIfAbsent(tid, t -> new long[2]);
      bytes[0] += bytesRead;
      bytes[1] += bytesWritten;
    }

    void merge(Row row) {
      bytesRead += row.bytesRead;
      bytesWritten += row.bytesWritten;
      reads += row.reads;
      writes += row.writes;
      fsyncs += row.fsyncs;
      totalNs += row.totalNs;
      maxNs = Math.max(maxNs, row.maxNs);
      row.threads.forEach((tid, bytes) -> {
        long[] mine = threads.computeIfAbsent(tid, t -> new long[2]);
        mine[0] += bytes[0];
        mine[1] += bytes[1];
      });
    }

    FileSummary summary(IntFunction<String> threadName) {
      List<FileSummary.Thread> list = new ArrayList<>();
      threads.forEach((tid, bytes) -> list.add(new FileSummary.Thread(tid, threadName.apply(tid), bytes[0], bytes[1])));
      list.sort(Comparator.comparingLong((FileSummary.Thread t) -> t.bytesRead() + t.bytesWritten()).reversed()
          .thenComparingInt(FileSummary.Thread::tid));
      return new FileSummary(path, kind, bytesRead, bytesWritten, reads, writes, fsyncs, totalNs, maxNs,
          List.copyOf(list));
    }
  }
}
