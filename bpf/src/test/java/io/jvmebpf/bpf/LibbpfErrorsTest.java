package io.jvmebpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failures carry errno and a sentence; libbpf's own messages reach the sink, not stderr. */
@ExtendWith(RequiresBpf.class)
class LibbpfErrorsTest {
  private static final int ENOENT = 2;

  @Test
  void libbpfIsOneDotSomething() {
    assertTrue(LibbpfVersion.current().major() >= 1, LibbpfVersion.current().toString());
  }

  @Test
  void garbageIsRefusedWithErrnoAndLibbpfExplainsToTheSink() {
    List<String> messages = new CopyOnWriteArrayList<>();
    LibbpfLog.setSink((level, message) -> messages.add(level + " " + message));
    try {
      BpfException e = assertThrows(BpfException.class, () -> BpfObject.open("garbage", new byte[64]));
      assertTrue(e.errno() > 0, "errno " + e.errno());
      assertTrue(e.getMessage().startsWith("opening BPF object garbage: "), e.getMessage());
      assertFalse(messages.isEmpty(), "libbpf said nothing about a broken ELF");
      assertTrue(messages.stream().anyMatch(m -> m.startsWith("WARN ")), messages.toString());
    } finally {
      LibbpfLog.setSink((level, message) -> {});
    }
  }

  @Test
  void anUnknownTracepointIsEnoent() {
    try (BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      BpfException e = assertThrows(BpfException.class,
          () -> object.program("thread_exit").attachRawTracepoint("no_such_tracepoint"));
      assertEquals(ENOENT, e.errno());
      assertTrue(e.getMessage().contains("raw tracepoint no_such_tracepoint"), e.getMessage());
    }
  }

  @Test
  void attachingBeforeLoadIsRefused() {
    try (BpfObject object = BpfObject.openBundled("threads")) {
      BpfException e = assertThrows(BpfException.class, () -> object.program("thread_exit").attach());
      assertTrue(e.getMessage().contains("not loaded yet"), e.getMessage());
    }
  }

  @Test
  void closingTheObjectDetachesItsLinks() {
    BpfLink link;
    try (BpfObject object = BpfObject.openBundled("threads")) {
      ProcessScope.ofThisProcess().writeTo(object.readOnlyData());
      object.load();
      link = object.program("thread_exit").attach();
      assertTrue(link.isAttached());
    }
    assertFalse(link.isAttached());
  }
}
