package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A whole JVM with every native block tracked ({@code nativemem.sample=0}) against {@code
 * NativeMemoryWorkload}'s known answers: {@code mallocer}'s 1,000 mallocs of 64 KiB and 500 frees,
 * {@code toucher}'s 16,384 fresh pages, {@code heapallocator}'s 100,000 arrays of 8 KiB in
 * {@code allocateOnHeap}; and the JVM's own heap figures, with NMT on.
 */
class NativeMemoryIT {
  private static final long BLOCK = 65_536;

  @Test
  void nativeBlocksPageFaultsAndHeapAllocationsAreTheWorkloadsOwn() throws Exception {
    AgentRun.Result run = AgentRun.of("io.jvmebpf.workloads.NativeMemoryWorkload")
        .jvmFlags("-Xmx64m", "-XX:NativeMemoryTracking=summary", "--enable-native-access=ALL-UNNAMED")
        .agentOptions("nativemem=on,nativemem.sample=0")
        .run();
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.stdout().contains("done"), run.describe());
    SmokeAssertions.assertOnlyAgentLines(run);
    Summary summary = run.summary();

    JsonNode mallocer = summary.onlyThread("mallocer");
    JsonNode blocks = mallocer.get("nativeMemory");
    String figures = "mallocer " + blocks;
    System.out.println("NativeMemoryIT: " + figures + ", toucher " + summary.onlyThread("toucher").get("pageFaults"));
    assertTrue(blocks.get("mallocCalls").asLong() >= 1000, figures);
    assertTrue(blocks.get("mallocBytes").asLong() >= 1000 * BLOCK, figures);
    assertTrue(blocks.get("freeCalls").asLong() >= 500, figures);
    assertTrue(blocks.get("outstandingBytes").asLong() >= 500 * BLOCK, figures);
    long tid = Summary.tid(mallocer);
    long heldAtItsStacks = StreamSupport.stream(summary.root().at("/memory/native/topOutstanding").spliterator(), false)
        .filter(held -> held.get("tid").asLong() == tid && !held.get("stack").isEmpty())
        .mapToLong(held -> held.get("bytes").asLong()).sum();
    // Its blocks are held at several stacks (the loop interpreted, then compiled), and the report
    // lists the 20 heaviest of all threads': one of its lighter stacks may fall past them (one run
    // listed 32,440,320 of its 32,768,000 bytes).
    assertTrue(heldAtItsStacks >= 500 * BLOCK / 2, "held at mallocer's listed stacks: " + heldAtItsStacks);
    long allocatedAtItsStacks =
        Collapsed.read(run.reportDir().resolve("native-alloc.collapsed")).ofThreads(Set.of("mallocer")).total();
    assertTrue(allocatedAtItsStacks >= 1000 * BLOCK, "native-alloc.collapsed, mallocer: " + allocatedAtItsStacks);

    JsonNode faults = summary.onlyThread("toucher").get("pageFaults");
    assertTrue(faults.get("faults").asLong() >= 16_384, faults.toString());
    assertTrue(faults.get("minor").asLong() >= 16_384, faults.toString());
    assertTrue(Collapsed.read(run.reportDir().resolve("faults.collapsed")).ofThreads(Set.of("toucher")).total()
        >= 16_384);

    // JFR's samples weigh what the thread allocated since its last sample: summed, an estimate of
    // its 819,200,000 bytes (819,322,560 in one run, 584,902,080 in another, on a quiet machine).
    long inAllocateOnHeap = Collapsed.read(run.reportDir().resolve("alloc.collapsed")).ofThreads(Set.of("heapallocator"))
        .lines().stream()
        .filter(line -> line.frames().contains("io.jvmebpf.workloads.NativeMemoryWorkload.allocateOnHeap")
            && line.frames().getLast().equals("byte[]_[i]"))
        .mapToLong(Collapsed.Line::count).sum();
    System.out.println("NativeMemoryIT: alloc.collapsed, heapallocator's byte[] in allocateOnHeap: " + inAllocateOnHeap);
    assertEquals(819_200_000, inAllocateOnHeap, 819_200_000 * 0.5,
        "heapallocator's byte[] in allocateOnHeap: " + inAllocateOnHeap);
    JsonNode java = summary.root().at("/memory/java");
    assertTrue(java.get("collections").asLong() >= 1, java.toString());
    assertTrue(java.at("/nmt/Java Heap/reservedBytes").asLong() >= 64L << 20, "NMT: " + java.get("nmt"));
    for (String file : new String[] {"native-alloc.html", "native-alloc.pb.gz", "faults.html", "alloc.html"}) {
      assertTrue(Files.size(run.reportDir().resolve(file)) > 0, file);
    }
  }
}
