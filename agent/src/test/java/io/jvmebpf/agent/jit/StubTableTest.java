package io.jvmebpf.agent.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StubTableTest {
  private final CodeBlob routines = new CodeBlob(100, 200, "StubRoutines (1)");
  private final CodeBlob callStub = new CodeBlob(110, 120, "call_stub");
  private final CodeBlob arraycopy = new CodeBlob(150, 160, "jint_arraycopy");
  private final CodeBlob interpreter = new CodeBlob(300, 400, "Interpreter");
  private final CodeBlob inInterpreter = new CodeBlob(310, 320, "slow_signature_handler");

  @Test
  void givesEachAddressItsInnermostBlob() {
    StubTable table =
        StubTable.of(List.of(arraycopy, routines, interpreter, callStub, inInterpreter));
    assertEquals(routines, table.find(100));
    assertEquals(callStub, table.find(110));
    assertEquals(callStub, table.find(119));
    assertEquals(routines, table.find(120));
    assertEquals(arraycopy, table.find(155));
    assertEquals(routines, table.find(199));
    assertNull(table.find(200));
    assertNull(table.find(99));
    assertNull(table.find(250));
    assertEquals(inInterpreter, table.find(315));
    assertEquals(interpreter, table.find(399));
  }

  @Test
  void theInterpreterStaysWholeAroundStubsInsideIt() {
    StubTable table = StubTable.of(List.of(interpreter, inInterpreter, routines));
    assertTrue(table.isInterpreter(300));
    assertTrue(table.isInterpreter(315));
    assertTrue(table.isInterpreter(399));
    assertFalse(table.isInterpreter(400));
    assertFalse(table.isInterpreter(150));
  }

  @Test
  void anEmptyTableFindsNothing() {
    assertNull(StubTable.EMPTY.find(0));
    assertFalse(StubTable.EMPTY.isInterpreter(0));
  }
}
