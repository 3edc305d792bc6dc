package io.jvmebpf.agent.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.jfr.JavaBlock;
import io.jvmebpf.jfr.JavaFrame;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaBlockIndexTest {
  private static final long MS = 1_000_000;
  /** Monotonic time for the index's clock, from epoch nanoseconds taken the same moment. */
  private final long epochNow = epochNanos(Instant.now());
  private final long monotonicNow = System.nanoTime();

  @Test
  void anIntervalTakesTheBlockItOverlapsMost() {
    JavaBlockIndex index = new JavaBlockIndex();
    index.accept(block(7, 0, 100, "jdk.JavaMonitorEnter", "app.A.enter"));
    index.accept(block(7, 100, 300, "jdk.ThreadPark", "jdk.internal.misc.Unsafe.park", "app.B.await"));
    index.accept(block(8, 0, 400, "jdk.JavaMonitorWait", "java.lang.Object.wait", "app.C.await"));

    JavaBlockIndex.Match match = index.overlapping(7, at(90), at(250));
    assertEquals(JavaBlockIndex.Kind.PARK, match.kind());
    assertEquals("park", match.kind().reason);
    assertEquals(List.of("app.B.await", "jdk.internal.misc.Unsafe.park"), names(index.stack(match.stack())));
    assertEquals(JavaBlockIndex.Kind.MONITOR, index.overlapping(7, at(10), at(60)).kind());
    assertEquals(JavaBlockIndex.Kind.WAIT, index.overlapping(8, at(10), at(60)).kind());
    assertNull(index.overlapping(7, at(301), at(400)), "no block of thread 7 then");
    assertNull(index.overlapping(9, at(0), at(400)), "no block of thread 9 at all");
  }

  @Test
  void aSleepStacksThreadSleepThatJdk22HidesBack() {
    JavaBlockIndex index = new JavaBlockIndex();
    index.accept(block(7, 0, 200, "jdk.ThreadSleep", "app.A.nap", "app.A.run"));
    index.accept(block(8, 0, 200, "jdk.ThreadSleep", "java.lang.Thread.sleep", "app.B.nap"));

    JavaBlockIndex.Match filtered = index.overlapping(7, at(0), at(200));
    assertEquals(JavaBlockIndex.Kind.SLEEP, filtered.kind());
    assertEquals(List.of("app.A.run", "app.A.nap", "java.lang.Thread.sleep"), names(index.stack(filtered.stack())));
    assertEquals(List.of("app.B.nap", "java.lang.Thread.sleep"),
        names(index.stack(index.overlapping(8, at(0), at(200)).stack())));
  }

  @Test
  void idleThreadsAreForgotten() {
    JavaBlockIndex index = new JavaBlockIndex();
    index.accept(block(7, 0, 100, "jdk.ThreadPark", "app.A.park"));
    index.forgetThreadsIdleSince(at(200));
    assertNull(index.overlapping(7, at(0), at(100)));
  }

  private JavaBlock block(int tid, long startMs, long endMs, String event, String... leafFirst) {
    List<JavaFrame> frames = java.util.Arrays.stream(leafFirst).map(m -> new JavaFrame(m, "JIT compiled")).toList();
    return new JavaBlock(tid, epochNow + startMs * MS, (endMs - startMs) * MS, event, frames);
  }

  private long at(long ms) {
    return monotonicNow + ms * MS;
  }

  private static List<String> names(List<Frame> frames) {
    return frames.stream().map(Frame::name).toList();
  }

  private static long epochNanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
