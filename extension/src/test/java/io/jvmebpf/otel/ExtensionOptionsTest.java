package io.jvmebpf.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtensionOptionsTest {
  @Test
  void propertiesAndEnvironmentBecomeTheJavaagentOptionText() {
    Map<String, String> env = Map.of(
        "OTEL_JVM_EBPF_NATIVEMEM_SAMPLE", "64k",
        "OTEL_JVM_EBPF_CPU", "off",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
        "OTEL_JVM_EBPF_", "ignored");
    Map<Object, Object> properties = Map.of(
        "otel.jvm-ebpf.cpu", "on",
        "otel.jvm-ebpf.out", "/tmp/report",
        "otel.service.name", "checkout");
    // Sorted by key; the property wins over the environment for the same key.
    assertEquals("cpu=on,nativemem.sample=64k,out=/tmp/report", ExtensionOptions.from(env, properties));
  }

  @Test
  void noneGivenIsEmpty() {
    assertEquals("", ExtensionOptions.from(Map.of(), Map.of()));
  }

  @Test
  void hexIdsParseWithoutAllocatingAndRefuseWhatIsNotHex() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    assertEquals(0x0af7651916cd43ddL, HexIds.parse(traceId, 0));
    assertEquals(0x8448eb211c80319cL, HexIds.parse(traceId, 16));
    assertEquals(-1L, HexIds.parse("ffffffffffffffff", 0));
    assertEquals(0L, HexIds.parse("00f067aa0ba902b7x", 1));
    assertEquals(0L, HexIds.parse("short", 0));
  }
}
