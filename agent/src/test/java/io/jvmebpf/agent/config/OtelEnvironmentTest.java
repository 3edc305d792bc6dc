package io.jvmebpf.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OtelEnvironmentTest {
  private final List<String> problems = new ArrayList<>();

  private OtelOptions read(Map<String, String> env, Map<String, String> properties) {
    return OtelEnvironment.read(env, properties::get, problems::add);
  }

  @Test
  void nothingSetMeansNoExport() {
    OtelOptions otel = read(Map.of(), Map.of());
    assertFalse(otel.exports());
    assertEquals(OtelOptions.defaults(), otel);
    assertTrue(problems.isEmpty());
  }

  @Test
  void theVariablesTheSdkReads() {
    OtelOptions otel = read(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
        "OTEL_EXPORTER_OTLP_HEADERS", "api-key=secret%3D1,x-team = a b",
        "OTEL_SERVICE_NAME", "checkout",
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,deployment.environment.name=prod,team=a%20b",
        "OTEL_METRIC_EXPORT_INTERVAL", "15000"), Map.of());
    assertEquals(URI.create("http://collector:4318"), otel.endpoint());
    assertEquals(Map.of("api-key", "secret=1", "x-team", "a b"), otel.headers());
    assertEquals(Map.of("service.name", "checkout", "deployment.environment.name", "prod", "team", "a b"),
        otel.resource());
    assertEquals(Duration.ofSeconds(15), otel.interval());
    assertTrue(problems.isEmpty(), problems.toString());
  }

  @Test
  void aSystemPropertyWinsOverItsVariable() {
    OtelOptions otel = read(
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318", "OTEL_SERVICE_NAME", "env"),
        Map.of("otel.exporter.otlp.endpoint", "https://prop:4318", "otel.service.name", "prop"));
    assertEquals(URI.create("https://prop:4318"), otel.endpoint());
    assertEquals("prop", otel.resource().get("service.name"));
  }

  @Test
  void disabledOrAnotherProtocolMeansNoExport() {
    assertNull(read(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED", "true"), Map.of()).endpoint());
    assertNull(read(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_METRICS_EXPORTER", "none"), Map.of()).endpoint());
    assertTrue(problems.isEmpty());
    assertNull(read(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), Map.of()).endpoint());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("OTEL_EXPORTER_OTLP_PROTOCOL=grpc: the agent exports with http/protobuf only"),
        problems.get(0));
  }

  @Test
  void whatCannotBeUsedIsOneLineEach() {
    OtelOptions otel = read(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318",
        "OTEL_RESOURCE_ATTRIBUTES", "novalue,=x,ok=1",
        "OTEL_METRIC_EXPORT_INTERVAL", "soon"), Map.of());
    assertNull(otel.endpoint());
    assertEquals(Map.of("ok", "1"), otel.resource());
    assertEquals(OtelOptions.DEFAULT_INTERVAL, otel.interval());
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318 is not an http(s) URL"), problems.get(0));
  }

  @Test
  void theAgentsOptionsOverrideTheEnvironment() {
    OtelOptions env = read(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318", "OTEL_SERVICE_NAME", "svc"), Map.of());
    OptionsParser parser = new OptionsParser(Set.of("write")::contains);
    OtelOptions off = ((OptionsParser.Valid) parser.parse("otlp=off", env)).options().otel();
    assertFalse(off.exports());
    assertEquals("svc", off.resource().get("service.name"));
    OtelOptions elsewhere = ((OptionsParser.Valid) parser.parse("otlp=http://opt:4318,otlp.interval=5s,otlp.threads=raw", env))
        .options().otel();
    assertEquals(URI.create("http://opt:4318"), elsewhere.endpoint());
    assertEquals(Duration.ofSeconds(5), elsewhere.interval());
    assertEquals(OtelOptions.ThreadNaming.RAW, elsewhere.threads());
    assertEquals(env, ((OptionsParser.Valid) parser.parse("", env)).options().otel());
    assertEquals(List.of("otlp.threads=some is not normalize, raw or off"),
        ((OptionsParser.Invalid) parser.parse("otlp.threads=some", env)).errors());
  }
}
