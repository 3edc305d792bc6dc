package io.jvmebpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {
  @Test
  void theFirstLineSaysOkOrErrorTheRestIsForAPerson() {
    Reply ok = Reply.parse("ok\nrunning since 2025-01-01T00:00:00Z\nsamples: 1234\nlost: 0\n");
    assertTrue(ok.ok());
    assertEquals(List.of("running since 2025-01-01T00:00:00Z", "samples: 1234", "lost: 0"), ok.lines());
    assertEquals(1234, ok.number("samples"));
    assertEquals(0, ok.number("lost"));
    assertEquals(-1, ok.number("nothing"));

    Reply error = Reply.parse("error\njvm-ebpf is not running in this JVM: attach first\n");
    assertFalse(error.ok());
    assertEquals(List.of("jvm-ebpf is not running in this JVM: attach first"), error.lines());
  }

  @Test
  void anEmptyReplyIsNotOk() {
    assertFalse(Reply.parse("").ok());
  }

  @Test
  void theCommandsAreTheIssuesList() {
    assertEquals(List.of("list", "attach", "status", "pause", "resume", "dump", "stop", "run", "demo"),
        List.copyOf(Main.commandLine().getSubcommands().keySet()));
  }
}
