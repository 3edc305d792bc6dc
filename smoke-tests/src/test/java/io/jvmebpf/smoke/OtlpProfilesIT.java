package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.RequiresBpf;
import io.jvmebpf.smoke.otlp.OtlpReceiver;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CPU workload of {@link CpuProfileIT} (spin-a runs spinA() all the time) for 14 s with
 * {@code otlp=} pointing at a receiver that decodes with opentelemetry-proto's classes, and
 * {@code otlp.interval=1s}: the CPU profile's first epoch (10 s) goes out on its own while the
 * JVM runs, the report sends the rest and the other profiles. Resolved index by index, spin-a's
 * samples hold spinA, and the CPU samples of all requests add up to the report's files; and
 * nothing on the way (the JDK's HTTP client) started java.util.logging under the application.
 */
@ExtendWith(RequiresBpf.class)
class OtlpProfilesIT {
  private static OtlpReceiver receiver;
  private static AgentRun.Result run;
  private static List<ExportProfilesServiceRequest> requests;
  private static ExportProfilesServiceRequest last; // the report's

  @BeforeAll
  static void profile() throws Exception {
    receiver = OtlpReceiver.start();
    run = AgentRun.of(CpuProfileIT.WORKLOAD, "14")
        .agentOptions("syscalls=off,loglevel=debug,otlp.interval=1s,otlp=" + receiver.endpoint())
        // A log manager that does not exist: java.util.logging, if anything started it under the
        // application (protobuf-java would), would say so on stderr, which must hold the agent's lines only.
        .jvmFlags("-Djava.util.logging.manager=io.jvmebpf.NoSuchLogManager")
        .run();
    // The last export is done before the JVM exits (the report waits for it): no waiting here.
    assertEquals(List.of(), receiver.rejected(), run.describe());
    requests = receiver.profiles();
    assertTrue(requests.size() >= 2, requests.size() + " profiles requests received\n" + run.describe());
    last = requests.getLast();
  }

  @AfterAll
  static void close() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void theApplicationRanAndTheExportSaidNothingWentWrong() {
    assertEquals(0, run.exitCode(), run.describe());
    assertOnlyAgentLines(run);
    assertReportLine(run);
    assertTrue(run.stderr().stream().noneMatch(l -> l.contains("could not export")), run.describe());
    // The agent's metrics go to the receiver too (/v1/metrics); the profiles' requests are these.
    List<String> profileRequests =
        receiver.headerLines().stream().filter(l -> l.startsWith(OtlpReceiver.PROFILES + " ")).toList();
    assertEquals(requests.size(), profileRequests.size(), "requests: " + receiver.headerLines());
    assertTrue(profileRequests.stream().allMatch(l -> l.contains("Content-encoding=[gzip]")), profileRequests.toString());
    System.out.printf("%d profiles requests; CPU samples per request %s%n", requests.size(),
        requests.stream().map(r -> cpuProfiles(r).stream().mapToLong(p -> p.getSamplesList().stream()
            .mapToLong(s -> s.getValues(0)).sum()).sum()).toList());
  }

  /** Those while the JVM ran hold the CPU profile alone; the report's holds every profile. */
  @Test
  void periodicRequestsHoldCpuSamplesOnly() {
    for (ExportProfilesServiceRequest request : requests.subList(0, requests.size() - 1)) {
      List<String> types = types(request);
      assertEquals(List.of("samples/count"), types, "a periodic request");
    }
  }

  /** Every profile the report wrote as pprof went out, with its sample type. */
  @Test
  void everyProfileOfTheReportIsExported() throws Exception {
    List<String> files;
    try (Stream<java.nio.file.Path> list = Files.list(run.reportDir())) {
      files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pb.gz")).sorted().toList();
    }
    List<Profile> profiles = last.getResourceProfiles(0).getScopeProfiles(0).getProfilesList();
    assertEquals(files.size(), profiles.size(), "report files " + files + ", exported " + types(last));
    assertEquals("jvm-ebpf", last.getResourceProfiles(0).getScopeProfiles(0).getScope().getName());
  }

  @Test
  void spinAsSamplesHoldSpinAAndTotalsAreTheReports() throws Exception {
    SpinA counted = new SpinA();
    long covered = 0; // nanoseconds the CPU profiles' spans cover, end to end
    for (ExportProfilesServiceRequest request : requests) {
      for (Profile cpu : cpuProfiles(request)) {
        ProfilesDictionary d = request.getDictionary();
        assertEquals("cpu/nanoseconds", valueType(d, cpu.getPeriodType()));
        assertEquals(10_000_000, cpu.getPeriod());
        assertTrue(cpu.getTimeUnixNano() > 0 && cpu.getDurationNano() > 0,
            "time " + cpu.getTimeUnixNano() + ", duration " + cpu.getDurationNano());
        covered += cpu.getDurationNano();
        cpu.getSamplesList().forEach(sample -> counted.add(d, sample));
      }
    }
    System.out.printf("OTLP CPU profiles: %d samples, spin-a %d, of which %d hold spinA (%.1f%%); spinA's frame types %s;"
        + " spans cover %d ms%n", counted.total, counted.spinA, counted.withSpinA,
        100.0 * counted.withSpinA / Math.max(1, counted.spinA), counted.spinATypes, covered / 1_000_000);
    assertTrue(covered > 13_000_000_000L, "the CPU profiles cover " + covered / 1_000_000 + " ms of a 14 s run");
    assertEquals(Collapsed.read(run.reportDir().resolve("cpu.collapsed")).total(), counted.total);
    assertEquals(run.summary().onlyThread("spin-a").path("cpu").path("samples").asLong(), counted.spinA);
    assertTrue(counted.spinA > 100, "spin-a has only " + counted.spinA + " samples");
    // As in CpuProfileIT: samples of the first moment, before JFR records, lack Java frames.
    assertTrue(counted.withSpinA >= counted.spinA * 0.75,
        counted.withSpinA + " of spin-a's " + counted.spinA + " samples hold spinA");
    assertEquals(Map.of("jvm", counted.withSpinA), counted.spinATypes);
  }

  /** CPU samples, spin-a's, and those of spin-a's whose stack holds spinA (by its frames' types). */
  private static final class SpinA {
    long total;
    long spinA;
    long withSpinA;
    final Map<String, Long> spinATypes = new HashMap<>();

    void add(ProfilesDictionary d, Sample sample) {
      long n = sample.getValues(0);
      total += n;
      if (!"spin-a".equals(threadName(d, sample))) {
        return;
      }
      spinA += n;
      boolean holds = false;
      for (int index : d.getStackTable(sample.getStackIndex()).getLocationIndicesList()) {
        Location location = d.getLocationTable(index);
        String name = d.getStringTable(d.getFunctionTable(location.getLines(0).getFunctionIndex()).getNameStrindex());
        if (name.equals(CpuProfileIT.SPIN_A)) {
          holds = true;
          spinATypes.merge(frameType(d, location), n, Long::sum);
        }
      }
      withSpinA += holds ? n : 0;
    }
  }

  /** No spans in this JVM (not an OpenTelemetry agent): no sample claims one. */
  @Test
  void withoutSpansNoSampleIsLinked() {
    for (ExportProfilesServiceRequest request : requests) {
      assertEquals(1, request.getDictionary().getLinkTableCount());
      assertTrue(cpuProfiles(request).stream().allMatch(p -> p.getSamplesList().stream().allMatch(s -> s.getLinkIndex() == 0)));
    }
  }

  private static List<Profile> cpuProfiles(ExportProfilesServiceRequest request) {
    ProfilesDictionary d = request.getDictionary();
    return request.getResourceProfiles(0).getScopeProfiles(0).getProfilesList().stream()
        .filter(p -> valueType(d, p.getSampleType()).equals("samples/count"))
        .toList();
  }

  private static String threadName(ProfilesDictionary d, Sample sample) {
    for (int a : sample.getAttributeIndicesList()) {
      KeyValueAndUnit attribute = d.getAttributeTable(a);
      if (d.getStringTable(attribute.getKeyStrindex()).equals("thread.name")) {
        return attribute.getValue().getStringValue();
      }
    }
    return null;
  }

  private static String frameType(ProfilesDictionary d, Location location) {
    for (int a : location.getAttributeIndicesList()) {
      KeyValueAndUnit attribute = d.getAttributeTable(a);
      if (d.getStringTable(attribute.getKeyStrindex()).equals("profile.frame.type")) {
        return attribute.getValue().getStringValue();
      }
    }
    return "none";
  }

  private static List<String> types(ExportProfilesServiceRequest request) {
    List<String> types = new ArrayList<>();
    request.getResourceProfiles(0).getScopeProfiles(0).getProfilesList()
        .forEach(p -> types.add(valueType(request.getDictionary(), p.getSampleType())));
    return types;
  }

  private static String valueType(ProfilesDictionary d, ValueType type) {
    return d.getStringTable(type.getTypeStrindex()) + "/" + d.getStringTable(type.getUnitStrindex());
  }
}
