package io.jvmebpf.agent.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeRangesTest {
  private final CodeRanges ranges = new CodeRanges();

  @Test
  void findsCodeByAnyAddressInIt() {
    ranges.add(code(100, 200, "a"));
    ranges.add(code(200, 300, "b"));
    assertEquals("a", name(100));
    assertEquals("a", name(199));
    assertEquals("b", name(200));
    assertNull(ranges.find(99));
    assertNull(ranges.find(300));
  }

  @Test
  void forgetsUnloadedCodeByItsStartOnly() {
    ranges.add(code(100, 200, "a"));
    ranges.remove(150);
    assertEquals("a", name(150));
    ranges.remove(100);
    assertNull(ranges.find(150));
    assertEquals(0, ranges.size());
  }

  @Test
  void newCodeReplacesWhatItOverlaps() {
    ranges.add(code(100, 200, "a"));
    ranges.add(code(250, 300, "b"));
    ranges.add(code(320, 400, "c"));
    ranges.add(code(150, 330, "d")); // over the end of a, all of b, the start of c
    assertNull(ranges.find(100));
    assertEquals("d", name(150));
    assertEquals("d", name(260));
    assertNull(ranges.find(350));
    assertEquals(1, ranges.size());
  }

  @Test
  void newCodeAtTheSameStartReplacesTheOld() {
    ranges.add(code(100, 200, "a"));
    ranges.add(code(100, 150, "b"));
    assertEquals("b", name(120));
    assertNull(ranges.find(170));
  }

  private String name(long pc) {
    return ranges.find(pc).method().get(0).name();
  }

  private static CompiledCode code(long start, long end, String name) {
    return new CompiledCode(
        start, end, List.of(new Frame(name, FrameKind.JIT)), new int[0], List.of());
  }
}
