package io.jvmebpf.agent.vthreads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.jfr.JavaVirtualBlock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Virtual threads' figures by name pattern: folding, counting each thread once, bounds, order. */
class VirtualThreadTableTest {
  @Test
  void digitRunsFoldAndUnnamedThreadsHaveOnePattern() {
    assertEquals("burner-#", NamePattern.of("burner-17"));
    assertEquals("req-#-part-#", NamePattern.of("req-2024-part-3"));
    assertEquals("#", NamePattern.of("123"));
    assertEquals("[unnamed]", NamePattern.of(""));
  }

  @Test
  void eachFigureGoesToItsThreadsPatternAndAThreadNamedTwiceCountsOnce() {
    VirtualThreadTable table = new VirtualThreadTable();
    table.named(40, "burner-1");
    table.named(41, "burner-2");
    table.named(41, "burner-2"); // sent again after the helper's cache forgot it
    table.named(50, "sleeper-1");
    table.cpu(40, 7, 30);
    table.cpu(41, 8, 20);
    table.cpu(41, 7, 5);
    table.cpu(99, 7, 1); // never named
    table.block(new JavaVirtualBlock(50, "sleeper-1", 50_000_000, "jdk.ThreadSleep"));
    table.block(new JavaVirtualBlock(50, "sleeper-1", 3_000_000, "jdk.ThreadPark"));
    table.syscalls(41, "write", 10, 1, 5_000, 900);
    table.syscalls(40, "write", 5, 0, 2_000, 1_000);
    table.syscalls(40, "read", 20, 0, 8_000, 700);

    VirtualThreadSummary summary = table.summary(6, 5, 10_000_000, tid -> "carrier-" + tid);
    assertEquals(List.of("burner-#", "[unknown]", "sleeper-#"),
        summary.patterns().stream().map(VirtualThreadSummary.Pattern::name).toList());
    assertEquals(3, summary.threads());
    assertEquals(56, summary.cpuSamples()); // the never-named thread's too
    assertEquals(560_000_000, summary.cpuNs());
    assertEquals(53_000_000, summary.offCpuNs());
    VirtualThreadSummary.Pattern burners = summary.patterns().getFirst();
    assertEquals(2, burners.threads());
    assertEquals(55, burners.cpuSamples());
    assertEquals(550_000_000, burners.cpuNs());
    assertEquals(List.of(new VirtualThreadSummary.Carrier(7, "carrier-7", 35),
        new VirtualThreadSummary.Carrier(8, "carrier-8", 20)), burners.carriers());
    assertEquals(List.of(new VirtualThreadSummary.Syscall("read", 20, 0, 8_000, 700),
        new VirtualThreadSummary.Syscall("write", 15, 1, 7_000, 1_000)), burners.syscalls());
    VirtualThreadSummary.Pattern sleepers = summary.patterns().getLast();
    assertEquals(Map.of("park", 3_000_000L, "sleep", 50_000_000L), sleepers.offCpuNs());
    assertEquals(2, sleepers.blocks());
  }

  @Test
  void patternsBeyondTheBoundAreSummedAsOther() {
    VirtualThreadTable table = new VirtualThreadTable();
    int extra = 44;
    for (int i = 0; i < VirtualThreadTable.MAX_PATTERNS + extra; i++) {
      String name = "role" + (char) ('a' + i % 26) + (char) ('a' + i / 26 % 26) + (char) ('a' + i / 676);
      table.named(i, name);
      table.cpu(i, 1, 1);
    }
    VirtualThreadSummary summary = table.summary(0, 0, 1, tid -> "c");
    assertEquals(VirtualThreadTable.MAX_PATTERNS + 1, summary.patterns().size());
    VirtualThreadSummary.Pattern other = summary.patterns().stream()
        .filter(p -> p.name().equals("[other]")).findFirst().orElseThrow();
    assertEquals(extra, other.threads());
    assertEquals(extra, other.cpuSamples());
    assertEquals(VirtualThreadTable.MAX_PATTERNS + extra,
        summary.patterns().stream().mapToLong(VirtualThreadSummary.Pattern::cpuSamples).sum());
  }
}
