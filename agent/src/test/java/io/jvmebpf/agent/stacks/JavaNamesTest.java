package io.jvmebpf.agent.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** JFR's names of hidden classes, as the JIT map (jvmti_names.c) writes the same methods. */
class JavaNamesTest {
  @Test
  void hiddenClassesLoseTheirAddressLambdasTheirCounter() {
    assertEquals("app.Main$$Lambda.run", JavaNames.withoutAddresses("app.Main$$Lambda.0x000000001d049d88.run"));
    assertEquals("app.Main$$Lambda.run", JavaNames.withoutAddresses("app.Main$$Lambda/0x000000001d049d88.run"));
    assertEquals("app.Main$$Lambda.run", JavaNames.withoutAddresses("app.Main$$Lambda+0x00007f.run"));
    assertEquals("app.Main$$Lambda.run", JavaNames.withoutAddresses("app.Main$$Lambda$14.run"));
    assertEquals("java.lang.invoke.LambdaForm$MH.invoke",
        JavaNames.withoutAddresses("java.lang.invoke.LambdaForm$MH.0x000000001f11b000.invoke"));
  }

  @Test
  void ordinaryNamesStayAsTheyAre() {
    assertEquals("app.Main.run", JavaNames.withoutAddresses("app.Main.run"));
    assertEquals("app.Hex0x.run", JavaNames.withoutAddresses("app.Hex0x.run"));
  }
}
