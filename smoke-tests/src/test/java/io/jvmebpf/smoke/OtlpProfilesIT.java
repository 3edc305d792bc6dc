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
 * The CPU workload of {@link CpuProfileIT} (spin-a runs spinA() all the time) with {@code
 * otlp=} pointing at a receiver that decodes with opentelemetry-proto's classes: the report's
 * profiles arrive as OTLP profiles whose samples, resolved index by index, hold spinA for most
 * of spin-a's samples, and whose totals are the report's files' totals.
 */
@ExtendWith(RequiresBpf.class)
class OtlpProfilesIT {
  private static OtlpReceiver receiver;
  private static AgentRun.Result run;
  private static ExportProfilesServiceRequest request;

  @BeforeAll
  static void profile() throws Exception {
    receiver = OtlpReceiver.start();
    run = AgentRun.of(CpuProfileIT.WORKLOAD, "6")
        .agentOptions("syscalls=off,loglevel=debug,otlp=" + receiver.endpoint())
        .run();
    // The export is done before the JVM exits (the report waits for it): no waiting here.
    assertEquals(List.of(), receiver.rejected(), run.describe());
    assertEquals(1, receiver.profiles().size(), "profiles requests received\n" + run.describe());
    request = receiver.profiles().getFirst();
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
    assertEquals(1, receiver.requests(), "one request, to the profiles path: " + receiver.headerLines());
  }

  /** Every profile the report wrote as pprof went out, with its sample type. */
  @Test
  void everyProfileOfTheReportIsExported() throws Exception {
    List<String> files;
    try (Stream<java.nio.file.Path> list = Files.list(run.reportDir())) {
      files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pb.gz")).sorted().toList();
    }
    List<Profile> profiles = request.getResourceProfiles(0).getScopeProfiles(0).getProfilesList();
    assertEquals(files.size(), profiles.size(), "report files " + files + ", exported " + types(profiles));
    assertEquals("jvm-ebpf", request.getResourceProfiles(0).getScopeProfiles(0).getScope().getName());
  }

  @Test
  void spinAsSamplesHoldSpinAAndTotalsAreTheReports() throws Exception {
    ProfilesDictionary d = request.getDictionary();
    Profile cpu = cpuProfile();
    assertEquals("cpu/nanoseconds", valueType(d, cpu.getPeriodType()));
    assertEquals(10_000_000, cpu.getPeriod());
    assertTrue(cpu.getTimeUnixNano() > 0 && cpu.getDurationNano() > 5_000_000_000L,
        "time " + cpu.getTimeUnixNano() + ", duration " + cpu.getDurationNano());

    long total = 0;
    long spinA = 0;
    long withSpinA = 0;
    Map<String, Long> spinATypes = new HashMap<>();
    for (Sample sample : cpu.getSamplesList()) {
      long n = sample.getValues(0);
      total += n;
      if (!"spin-a".equals(threadName(d, sample))) {
        continue;
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
    System.out.printf("OTLP cpu profile: %d samples, spin-a %d, of which %d hold spinA (%.1f%%); spinA's frame types %s%n",
        total, spinA, withSpinA, 100.0 * withSpinA / Math.max(1, spinA), spinATypes);
    assertEquals(Collapsed.read(run.reportDir().resolve("cpu.collapsed")).total(), total);
    assertEquals(run.summary().onlyThread("spin-a").path("cpu").path("samples").asLong(), spinA);
    assertTrue(spinA > 100, "spin-a has only " + spinA + " samples");
    // As in CpuProfileIT: samples of the first moment, before JFR records, lack Java frames.
    assertTrue(withSpinA >= spinA * 0.75, withSpinA + " of spin-a's " + spinA + " samples hold spinA");
    assertEquals(Map.of("jvm", withSpinA), spinATypes);
  }

  /** No spans in this JVM (not an OpenTelemetry agent): no sample claims one. */
  @Test
  void withoutSpansNoSampleIsLinked() {
    assertEquals(1, request.getDictionary().getLinkTableCount());
    assertTrue(cpuProfile().getSamplesList().stream().allMatch(s -> s.getLinkIndex() == 0));
  }

  private static Profile cpuProfile() {
    ProfilesDictionary d = request.getDictionary();
    return request.getResourceProfiles(0).getScopeProfiles(0).getProfilesList().stream()
        .filter(p -> valueType(d, p.getSampleType()).equals("samples/count"))
        .findFirst().orElseThrow(() -> new AssertionError("no samples/count profile: "
            + types(request.getResourceProfiles(0).getScopeProfiles(0).getProfilesList())));
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

  private static List<String> types(List<Profile> profiles) {
    List<String> types = new ArrayList<>();
    profiles.forEach(p -> types.add(valueType(request.getDictionary(), p.getSampleType())));
    return types;
  }

  private static String valueType(ProfilesDictionary d, ValueType type) {
    return d.getStringTable(type.getTypeStrindex()) + "/" + d.getStringTable(type.getUnitStrindex());
  }
}
