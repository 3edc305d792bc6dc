package io.jvmebpf.agent.probe.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.agent.report.FileSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileTableTest {
  @Test
  void mergesByPathAndThreadHeaviestFirst() {
    FileTable table = new FileTable();
    table.add("/a", 1, 100, 0, 1, 0, 0, 10, 10);
    table.add("/a", 2, 0, 300, 0, 3, 1, 30, 20); // another open of the same file, another thread
    table.add("/a", 1, 50, 0, 1, 0, 0, 5, 5);
    table.add("socket:[42]", 1, 1000, 0, 2, 0, 0, 1, 1);
    List<FileSummary> rows = table.summaries(10, tid -> "t" + tid);
    assertEquals(List.of("socket:[42]", "/a"), rows.stream().map(FileSummary::path).toList());
    FileSummary a = rows.get(1);
    assertEquals("file", a.kind());
    assertEquals(150, a.bytesRead());
    assertEquals(300, a.bytesWritten());
    assertEquals(3, a.writes());
    assertEquals(1, a.fsyncs());
    assertEquals(45, a.totalNs());
    assertEquals(20, a.maxNs());
    assertEquals(List.of(new FileSummary.Thread(2, "t2", 0, 300), new FileSummary.Thread(1, "t1", 150, 0)),
        a.threads());
    assertEquals("socket", rows.get(0).kind());
  }

  @Test
  void beyondMaxOneOtherRowKeepsTotalsExact() {
    FileTable table = new FileTable();
    for (int i = 1; i <= 5; i++) {
      table.add("/f" + i, 7, i * 10L, 0, 1, 0, 0, i, i);
    }
    List<FileSummary> rows = table.summaries(2, tid -> "t");
    assertEquals(List.of("/f5", "/f4", FileTable.OTHER), rows.stream().map(FileSummary::path).toList());
    FileSummary other = rows.get(2);
    assertEquals("other", other.kind());
    assertEquals(60, other.bytesRead());
    assertEquals(3, other.reads());
    assertEquals(3, other.maxNs());
    assertEquals(List.of(new FileSummary.Thread(7, "t", 60, 0)), other.threads());
  }

  @Test
  void kinds() {
    assertEquals("pipe", FileTable.kindOf("pipe:[7]"));
    assertEquals("anon", FileTable.kindOf("anon_inode:[eventpoll]"));
    assertEquals("other", FileTable.kindOf("fd 9"));
  }
}
