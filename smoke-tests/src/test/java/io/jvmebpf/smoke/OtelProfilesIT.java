package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.jvmebpf.bpf.testing.RequiresBpf;
import io.jvmebpf.smoke.otlp.OtlpReceiver;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Link;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7's profiles test: the agent as the OpenTelemetry Java agent's extension in an HTTP
 * service whose {@code /cpu} burns 200 ms of CPU in {@code burnCpu}, exporting traces and
 * profiles to one OTLP receiver. The CPU profile's samples hold burnCpu, and those samples link
 * to the {@code /cpu} server spans the receiver got as traces, as many as the spans' own on-CPU
 * time (their {@code jvm_ebpf.cpu.on_ns}) makes at 100 samples a second.
 */
@ExtendWith(RequiresBpf.class)
class OtelProfilesIT {
  private static final String BURN = "io.jvmebpf.workloads.HttpSpansWorkload.burnCpu";
  private static final int REQUESTS = 5;

  @Test
  void cpuSamplesHoldTheBurningMethodAndLinkToCpuSpans() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      OtelService otel = OtelService.start(receiver, "profiles-it");
      AgentRun.Running service = otel.run();
      // Once first: class loading and the JIT's first compilations are not the request's.
      otel.get("/cpu?warmup");
      for (int i = 0; i < REQUESTS; i++) {
        otel.get("/cpu");
        otel.get("/sleep");
      }
      otel.stop();
      assertTrue(receiver.await(Duration.ofSeconds(10), () -> serverSpans(receiver).size() == 2 * REQUESTS + 1),
          "server spans received: " + serverSpans(receiver).size() + "; see " + service.runDir());
      assertEquals(List.of(), receiver.rejected());
      assertEquals(1, receiver.profiles().size(), "profiles requests; see " + service.runDir());

      Map<ByteString, String> pathBySpanId = new HashMap<>();
      Map<ByteString, ByteString> traceBySpanId = new HashMap<>();
      List<ByteString> measuredCpuSpans = new java.util.ArrayList<>(); // not the warm-up's
      long measuredOnCpuNs = 0; // the kernel's exact account, from the spans' own attributes
      for (Span span : serverSpans(receiver)) {
        String path = attribute(span.getAttributesList(), "url.path");
        pathBySpanId.put(span.getSpanId(), path);
        traceBySpanId.put(span.getSpanId(), span.getTraceId());
        if (path.equals("/cpu") && attribute(span.getAttributesList(), "url.query") == null) {
          measuredCpuSpans.add(span.getSpanId());
          measuredOnCpuNs += span.getAttributesList().stream().filter(kv -> kv.getKey().equals("jvm_ebpf.cpu.on_ns"))
              .findFirst().orElseThrow().getValue().getIntValue();
        }
      }
      ExportProfilesServiceRequest request = receiver.profiles().getFirst();
      ProfilesDictionary d = request.getDictionary();
      Map<String, String> resource = new HashMap<>();
      request.getResourceProfiles(0).getResource().getAttributesList()
          .forEach(kv -> resource.put(kv.getKey(), kv.getValue().getStringValue()));
      assertEquals("profiles-it", resource.get("service.name"), "resource " + resource);

      Profile cpu = request.getResourceProfiles(0).getScopeProfiles(0).getProfilesList().stream()
          .filter(p -> d.getStringTable(p.getSampleType().getTypeStrindex()).equals("samples")).findFirst().orElseThrow();
      long burning = 0;
      long burningLinkedToCpu = 0;
      Map<ByteString, Long> samplesPerSpan = new HashMap<>();
      Map<String, Long> linkedByPath = new HashMap<>();
      for (Sample sample : cpu.getSamplesList()) {
        long n = sample.getValues(0);
        String path = null;
        if (sample.getLinkIndex() != 0) {
          Link link = d.getLinkTable(sample.getLinkIndex());
          path = pathBySpanId.get(link.getSpanId());
          assertTrue(path != null, "a sample links to a span the receiver never got");
          assertEquals(traceBySpanId.get(link.getSpanId()), link.getTraceId(), "the link's trace is its span's");
          samplesPerSpan.merge(link.getSpanId(), n, Long::sum);
          linkedByPath.merge(path, n, Long::sum);
        }
        if (holds(d, sample, BURN)) {
          burning += n;
          burningLinkedToCpu += "/cpu".equals(path) ? n : 0;
        }
      }
      List<Long> perCpuSpan = measuredCpuSpans.stream().map(id -> samplesPerSpan.getOrDefault(id, 0L)).sorted().toList();
      long measuredLinked = perCpuSpan.stream().mapToLong(Long::longValue).sum();
      double expected = measuredOnCpuNs / 10_000_000.0; // one sample per 10 ms on CPU
      System.out.printf("%d samples hold burnCpu, %d of them linked to /cpu spans; linked samples by path %s;"
          + " per /cpu span %s, %d in all for %.1f expected from the spans' on-CPU time%n", burning,
          burningLinkedToCpu, linkedByPath, perCpuSpan, measuredLinked, expected);
      // 6 requests of 200 ms of CPU at 100 samples a second.
      assertTrue(burning >= (REQUESTS + 1) * 20 * 0.8, burning + " samples hold " + BURN);
      assertTrue(burningLinkedToCpu >= burning * 0.9, burningLinkedToCpu + " of " + burning + " burnCpu samples link to /cpu spans");
      assertEquals(REQUESTS, perCpuSpan.size());
      // A span's 200 ms on CPU come in slices between other threads' on a busy machine, which a
      // 10 ms sampler hits 20 times give or take a few: each span is checked loosely, their sum
      // against the kernel's exact on-CPU time of the spans.
      assertTrue(perCpuSpan.getFirst() >= 5, "a /cpu span of 200 ms of CPU with few samples: " + perCpuSpan);
      assertTrue(Math.abs(measuredLinked - expected) <= expected * 0.25,
          measuredLinked + " samples linked to the /cpu spans for " + expected + " expected");
      assertTrue(linkedByPath.getOrDefault("/sleep", 0L) <= REQUESTS, "/sleep spans' samples: " + linkedByPath);
    }
  }

  private static boolean holds(ProfilesDictionary d, Sample sample, String function) {
    for (int index : d.getStackTable(sample.getStackIndex()).getLocationIndicesList()) {
      var location = d.getLocationTable(index);
      if (d.getStringTable(d.getFunctionTable(location.getLines(0).getFunctionIndex()).getNameStrindex()).equals(function)) {
        return true;
      }
    }
    return false;
  }

  private static List<Span> serverSpans(OtlpReceiver receiver) {
    return receiver.traces().stream()
        .flatMap(request -> request.getResourceSpansList().stream())
        .flatMap(resource -> resource.getScopeSpansList().stream())
        .flatMap(scope -> scope.getSpansList().stream())
        .filter(span -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .filter(span -> !"/stop".equals(attribute(span.getAttributesList(), "url.path")))
        .toList();
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(kv -> kv.getKey().equals(key)).findFirst()
        .map(kv -> kv.getValue().getStringValue()).orElse(null);
  }
}
