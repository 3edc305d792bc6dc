package io.jvmebpf.agent.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.jfr.JavaFrame;
import io.jvmebpf.jfr.JavaStackSample;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaSampleIndexTest {
  private static final long MS = 1_000_000;

  private final JavaSampleIndex index = new JavaSampleIndex();
  /** A monotonic time and the epoch time JFR would stamp at that moment. */
  private final long monotonicBase = System.nanoTime();
  private final long epochBase = epochNow();

  @Test
  void joinsTheNearestSampleOfTheSameThreadWithinTheGap() {
    int a = add(7, 100, false, "app.Main.run", "app.Work.a");
    int b = add(7, 130, false, "app.Main.run", "app.Work.b");
    add(8, 112, false, "app.Other.x");

    assertEquals(a, index.nearest(7, at(110), 50 * MS, false));
    assertEquals(b, index.nearest(7, at(120), 50 * MS, false));
    assertEquals(-1, index.nearest(7, at(300), 50 * MS, false), "outside the gap");
    assertEquals(-1, index.nearest(9, at(110), 50 * MS, false), "no sample of that thread");
  }

  @Test
  void aSampleInNativeCodeJoinsOnlyKernelSamplesInNativeCode() {
    int java = add(7, 100, false, "app.Main.run");
    int blocked = add(7, 110, true, "app.Main.run", "sun.nio.ch.EPoll.wait");

    assertEquals(java, index.nearest(7, at(111), 50 * MS, false));
    assertEquals(blocked, index.nearest(7, at(111), 50 * MS, true));
  }

  @Test
  void stacksAreRootFirstInternedAndTyped() {
    int first = add(7, 100, false, "app.Main.run", "app.Work.a");
    int again = add(8, 200, false, "app.Main.run", "app.Work.a");

    assertEquals(first, again);
    assertEquals(
        List.of(new Frame("app.Main.run", FrameKind.INTERPRETED), new Frame("app.Work.a", FrameKind.JIT)),
        index.stack(first));
  }

  /** Frames root first here; JFR lists them leaf first, the root interpreted, the rest compiled. */
  private int add(int tid, long atMs, boolean inNative, String... rootFirst) {
    List<JavaFrame> leafFirst = new java.util.ArrayList<>();
    for (int i = rootFirst.length - 1; i >= 0; i--) {
      leafFirst.add(new JavaFrame(rootFirst[i], i == 0 ? "Interpreted" : "JIT compiled"));
    }
    index.accept(new JavaStackSample(tid, epochBase + atMs * MS, leafFirst, inNative));
    return index.nearest(tid, at(atMs), MS, inNative); // the test and the index read the clocks µs apart
  }

  private long at(long ms) {
    return monotonicBase + ms * MS;
  }

  private static long epochNow() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
