package io.jvmebpf.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControlRequestTest {
  @Test
  void withoutACommandItStartsWithTheOptionsAsGiven() {
    ControlRequest request = ControlRequest.parse("out=/tmp/r,syscalls=read,write,cpu=off");
    assertEquals(ControlRequest.Command.START, request.command());
    assertNull(request.reply());
    assertEquals("out=/tmp/r,syscalls=read,write,cpu=off", request.options());
    assertNull(request.problem());
  }

  @Test
  void theToolsKeysAreTakenOutWhereverTheyStand() {
    ControlRequest request = ControlRequest.parse("command=dump,reply=/tmp/reply.txt,out=/tmp/d");
    assertEquals(ControlRequest.Command.DUMP, request.command());
    assertEquals(Path.of("/tmp/reply.txt"), request.reply());
    assertEquals("out=/tmp/d", request.options());
    assertEquals(Path.of("/tmp/d"), request.out());

    ControlRequest start = ControlRequest.parse("reply=/tmp/x,cpu=off");
    assertEquals(ControlRequest.Command.START, start.command());
    assertEquals("cpu=off", start.options());
  }

  @Test
  void anUnknownCommandIsAProblemNotAStart() {
    ControlRequest request = ControlRequest.parse("command=explode,reply=/tmp/x");
    assertEquals("unknown command 'explode'", request.problem());
    assertEquals(ControlRequest.Command.STATUS, request.command());
  }

  @Test
  void anOptionACommandDoesNotTakeIsAProblem() {
    assertEquals("'cpu=off' does not apply to dump (it takes out=DIR only)",
        ControlRequest.parse("command=dump,out=/tmp/d,cpu=off").problem());
    assertEquals("'out=/tmp/d' does not apply to pause (it takes no options)",
        ControlRequest.parse("command=pause,out=/tmp/d").problem());
    assertNull(ControlRequest.parse("out=/tmp/d,cpu=off").problem(), "a start takes the agent's options");
  }

  @Test
  void emptyAndNullOptionsStart() {
    assertEquals(ControlRequest.Command.START, ControlRequest.parse(null).command());
    assertEquals("", ControlRequest.parse("").options());
    assertNull(ControlRequest.parse("command=stop").out());
  }
}
