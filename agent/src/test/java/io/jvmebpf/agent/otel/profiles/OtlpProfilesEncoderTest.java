package io.jvmebpf.agent.otel.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.jvmebpf.agent.otel.SpanLink;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.ReportBuilder.ProfileFile;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Link;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Encodes profiles built here, with known stacks, counts, kinds and links, and decodes the request
 * with opentelemetry-proto's generated classes, resolving every index as a receiver would.
 */
class OtlpProfilesEncoderTest {
  private static final long INTERVAL_NS = 10_000_000L;
  private static final ProfileSpan SPAN = new ProfileSpan(1_790_000_000_123_456_789L, 2_500_000_000L);
  private static final SpanLink REQUEST_A = new SpanLink(0x0123456789abcdefL, 0xfedcba9876543210L, 0x1122334455667788L);
  private static final SpanLink REQUEST_B = new SpanLink(0x8000000000000001L, 2L, 0xffffffffffffffffL);
  private static final Map<String, String> RESOURCE = Map.of("service.name", "checkout", "service.version", "1.2");

  private static final Frame START = new Frame("start_thread", FrameKind.NATIVE);
  private static final Frame RUN = new Frame("java.lang.Thread.run", FrameKind.INTERPRETED);
  private static final Frame BURN = new Frame("demo.Burner.burn", FrameKind.JIT);
  private static final Frame SPIN = new Frame("demo.Burner.spin", FrameKind.INLINED);
  private static final Frame READ = new Frame("read", FrameKind.NATIVE);
  private static final Frame KSYS_READ = new Frame("ksys_read", FrameKind.KERNEL);
  // A kernel and a user function of one name: one function, two locations.
  private static final Frame USER_SCHEDULE = new Frame("schedule", FrameKind.NATIVE);
  private static final Frame KERNEL_SCHEDULE = new Frame("schedule", FrameKind.KERNEL);

  private static Profile cpu() {
    List<Frame> burning = List.of(START, RUN, BURN, SPIN);
    List<Frame> reading = List.of(RUN, READ, KSYS_READ, Frame.UNKNOWN);
    return new Profile("cpu", INTERVAL_NS, List.of(
        new StackSample(101, "burner", burning, 7, false, REQUEST_A),
        new StackSample(101, "burner", burning, 3, true, REQUEST_A), // the same sample for OTLP
        new StackSample(101, "burner", burning, 5, false),
        new StackSample(101, "burner", List.of(START, USER_SCHEDULE, KERNEL_SCHEDULE), 2, false),
        new StackSample(102, "io-1", reading, 4, false, REQUEST_B),
        new StackSample(102, "io-1", reading, 0, false))); // nothing: left out
  }

  private static Profile offCpu() {
    return new Profile("offcpu", 0, List.of(
        new StackSample(102, "io-1", List.of(RUN, READ, KSYS_READ), 250_000_000L, true)));
  }

  private static Profile alloc() {
    return new Profile("alloc", 0, List.of(
        new StackSample(101, "burner", List.of(RUN, BURN, new Frame("byte[]", FrameKind.ALLOCATED_CLASS)), 4096, true)));
  }

  private static ExportProfilesServiceRequest encodeAndDecode() throws Exception {
    byte[] bytes = OtlpProfilesEncoder.encode(List.of(
            new ProfileFile("cpu", cpu(), ProfileKind.CPU, SPAN),
            new ProfileFile("offcpu", offCpu(), ProfileKind.OFF_CPU, SPAN),
            new ProfileFile("alloc", alloc(), ProfileKind.JAVA_ALLOC, ProfileSpan.UNKNOWN)),
        RESOURCE, "9.8.7");
    return ExportProfilesServiceRequest.parseFrom(bytes);
  }

  @Test
  void samplesResolveToTheProfilesStacksThreadsAndLinks() throws Exception {
    ExportProfilesServiceRequest request = encodeAndDecode();
    ProfilesDictionary d = request.getDictionary();
    var cpu = request.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);

    Map<Resolved, Long> expected = new HashMap<>();
    for (StackSample s : cpu().samples()) {
      if (s.count() > 0) {
        expected.merge(new Resolved(s.tid(), s.thread(), names(s.frames()), types(s.frames()), s.link()),
            s.count(), Long::sum);
      }
    }
    Map<Resolved, Long> actual = new HashMap<>();
    Set<List<Object>> identities = new HashSet<>();
    for (Sample sample : cpu.getSamplesList()) {
      assertEquals(1, sample.getValuesCount());
      assertEquals(0, sample.getTimestampsUnixNanoCount());
      // The schema's identity of a sample: each one once.
      assertTrue(identities.add(List.of(sample.getStackIndex(), Set.copyOf(sample.getAttributeIndicesList()),
          sample.getLinkIndex())));
      Resolved resolved = resolve(d, sample);
      assertFalse(actual.containsKey(resolved), "two samples for " + resolved);
      actual.put(resolved, sample.getValues(0));
    }
    assertEquals(expected, actual);
    assertEquals(4, actual.size()); // the burner's two linked entries merged, the empty one left out
    assertEquals(10L, actual.get(new Resolved(101, "burner", names(List.of(START, RUN, BURN, SPIN)),
        types(List.of(START, RUN, BURN, SPIN)), REQUEST_A)));
  }

  @Test
  void everyTableStartsWithItsZeroValueAndHoldsNoDuplicates() throws Exception {
    ProfilesDictionary d = encodeAndDecode().getDictionary();

    assertEquals("", d.getStringTable(0));
    assertEquals(io.opentelemetry.proto.profiles.v1development.Mapping.getDefaultInstance(), d.getMappingTable(0));
    assertEquals(Location.getDefaultInstance(), d.getLocationTable(0));
    assertEquals(io.opentelemetry.proto.profiles.v1development.Function.getDefaultInstance(), d.getFunctionTable(0));
    assertEquals(KeyValueAndUnit.getDefaultInstance(), d.getAttributeTable(0));
    assertEquals(io.opentelemetry.proto.profiles.v1development.Stack.getDefaultInstance(), d.getStackTable(0));
    assertEquals(ByteString.copyFrom(new byte[16]), d.getLinkTable(0).getTraceId());
    assertEquals(ByteString.copyFrom(new byte[8]), d.getLinkTable(0).getSpanId());
    assertEquals(d.getStringTableCount(), Set.copyOf(d.getStringTableList()).size());
    assertEquals(d.getFunctionTableCount(), Set.copyOf(d.getFunctionTableList()).size());
    assertEquals(d.getLocationTableCount(), Set.copyOf(d.getLocationTableList()).size());
    assertEquals(d.getStackTableCount(), Set.copyOf(d.getStackTableList()).size());
    assertEquals(d.getAttributeTableCount(), Set.copyOf(d.getAttributeTableList()).size());
    assertEquals(d.getLinkTableCount(), Set.copyOf(d.getLinkTableList()).size());
    assertEquals(3, d.getLinkTableCount()); // none, A, B
    // "schedule" in the kernel and in user code: one function, two locations.
    long scheduleFunctions = d.getFunctionTableList().stream()
        .filter(f -> d.getStringTable(f.getNameStrindex()).equals("schedule")).count();
    long scheduleLocations = d.getLocationTableList().stream()
        .filter(l -> l.getLinesCount() == 1
            && d.getStringTable(d.getFunctionTable(l.getLines(0).getFunctionIndex()).getNameStrindex()).equals("schedule"))
        .count();
    assertEquals(1, scheduleFunctions);
    assertEquals(2, scheduleLocations);
  }

  @Test
  void resourceScopeAndProfilesSayWhatTheyAre() throws Exception {
    ExportProfilesServiceRequest request = encodeAndDecode();
    ProfilesDictionary d = request.getDictionary();

    assertEquals(1, request.getResourceProfilesCount());
    Map<String, String> resource = request.getResourceProfiles(0).getResource().getAttributesList().stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    assertEquals(RESOURCE, resource);
    ScopeProfiles scope = request.getResourceProfiles(0).getScopeProfiles(0);
    assertEquals("jvm-ebpf", scope.getScope().getName());
    assertEquals("9.8.7", scope.getScope().getVersion());
    assertEquals(3, scope.getProfilesCount());

    var cpu = scope.getProfiles(0);
    assertEquals("samples/count", valueType(d, cpu.getSampleType()));
    assertEquals("cpu/nanoseconds", valueType(d, cpu.getPeriodType()));
    assertEquals(INTERVAL_NS, cpu.getPeriod());
    assertEquals(SPAN.startEpochNanos(), cpu.getTimeUnixNano());
    assertEquals(SPAN.durationNanos(), cpu.getDurationNano());
    assertEquals(16, cpu.getProfileId().size());
    assertFalse(cpu.getProfileId().equals(ByteString.copyFrom(new byte[16])));

    var offCpu = scope.getProfiles(1);
    assertEquals("off_cpu/nanoseconds", valueType(d, offCpu.getSampleType()));
    assertFalse(offCpu.hasPeriodType());
    assertEquals(250_000_000L, offCpu.getSamples(0).getValues(0));
    assertFalse(offCpu.getProfileId().equals(cpu.getProfileId()));

    var alloc = scope.getProfiles(2);
    assertEquals("alloc_space/bytes", valueType(d, alloc.getSampleType()));
    assertEquals(0, alloc.getTimeUnixNano()); // unknown: left unset
    Resolved allocated = resolve(d, alloc.getSamples(0));
    assertEquals("byte[]", allocated.leafFirst().getFirst());
    assertEquals(null, allocated.frameTypes().getFirst()); // data, not code: no frame type
    assertEquals(4096L, alloc.getSamples(0).getValues(0));
  }

  /** An empty stack, a nameless frame and an all-zero span are the tables' zero entries, not copies. */
  @Test
  void zeroValuesAreIndexZero() throws Exception {
    Profile odd = new Profile("cpu", INTERVAL_NS, List.of(
        new StackSample(7, "t", List.of(), 2, false, new SpanLink(0, 0, 0)),
        new StackSample(7, "t", List.of(new Frame("", FrameKind.UNKNOWN)), 1, false)));
    ExportProfilesServiceRequest request = ExportProfilesServiceRequest.parseFrom(OtlpProfilesEncoder.encode(
        List.of(new ProfileFile("cpu", odd, ProfileKind.CPU, SPAN)), Map.of(), "1"));
    ProfilesDictionary d = request.getDictionary();
    var samples = request.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0).getSamplesList();

    assertEquals(0, samples.get(0).getStackIndex());
    assertEquals(0, samples.get(0).getLinkIndex());
    assertEquals(List.of(0), d.getStackTable(samples.get(1).getStackIndex()).getLocationIndicesList());
    assertEquals(1, d.getLinkTableCount());
    assertEquals(1, d.getLocationTableCount());
    assertEquals(1, d.getFunctionTableCount());
  }

  @Test
  void noProfilesStillMakeAValidRequest() throws Exception {
    ExportProfilesServiceRequest request =
        ExportProfilesServiceRequest.parseFrom(OtlpProfilesEncoder.encode(List.of(), Map.of(), "1"));
    assertEquals(0, request.getResourceProfiles(0).getScopeProfiles(0).getProfilesCount());
    assertEquals("", request.getDictionary().getStringTable(0));
  }

  /** A sample with every index followed: stack, locations, functions, strings, attributes, link. */
  private record Resolved(int tid, String thread, List<String> leafFirst, List<String> frameTypes, SpanLink link) {}

  private static Resolved resolve(ProfilesDictionary d, Sample sample) {
    List<String> names = new ArrayList<>();
    List<String> frameTypes = new ArrayList<>();
    for (int locationIndex : d.getStackTable(sample.getStackIndex()).getLocationIndicesList()) {
      Location location = d.getLocationTable(locationIndex);
      assertEquals(1, location.getLinesCount());
      names.add(d.getStringTable(d.getFunctionTable(location.getLines(0).getFunctionIndex()).getNameStrindex()));
      String type = null;
      for (int a : location.getAttributeIndicesList()) {
        KeyValueAndUnit attribute = d.getAttributeTable(a);
        assertEquals("profile.frame.type", d.getStringTable(attribute.getKeyStrindex()));
        type = attribute.getValue().getStringValue();
      }
      frameTypes.add(type);
    }
    Integer tid = null;
    String thread = null;
    for (int a : sample.getAttributeIndicesList()) {
      KeyValueAndUnit attribute = d.getAttributeTable(a);
      AnyValue value = attribute.getValue();
      switch (d.getStringTable(attribute.getKeyStrindex())) {
        case "thread.id" -> tid = Math.toIntExact(value.getIntValue());
        case "thread.name" -> thread = value.getStringValue();
        default -> throw new AssertionError("unexpected attribute " + attribute);
      }
    }
    SpanLink link = null;
    if (sample.getLinkIndex() != 0) {
      Link l = d.getLinkTable(sample.getLinkIndex());
      assertEquals(16, l.getTraceId().size());
      assertEquals(8, l.getSpanId().size());
      link = new SpanLink(l.getTraceId().substring(0, 8).asReadOnlyByteBuffer().getLong(),
          l.getTraceId().substring(8).asReadOnlyByteBuffer().getLong(), l.getSpanId().asReadOnlyByteBuffer().getLong());
    }
    return new Resolved(tid, thread, names, frameTypes, link);
  }

  private static List<String> names(List<Frame> rootFirst) {
    return rootFirst.reversed().stream().map(Frame::name).toList();
  }

  /** The semantic conventions' values, written out here rather than taken from the encoder. */
  private static List<String> types(List<Frame> rootFirst) {
    List<String> types = new ArrayList<>();
    for (Frame frame : rootFirst.reversed()) {
      types.add(switch (frame.kind()) {
        case KERNEL -> "kernel";
        case NATIVE -> "native";
        case JIT, INLINED, INTERPRETED -> "jvm";
        default -> null;
      });
    }
    return types;
  }

  private static String valueType(ProfilesDictionary d, ValueType type) {
    return d.getStringTable(type.getTypeStrindex()) + "/" + d.getStringTable(type.getUnitStrindex());
  }
}
