package io.jvmebpf.agent.report.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.profile.pprof.PprofProto;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the written file back with the generated classes, as a pprof reader would. */
class PprofWriterTest {
  private static final ProfileSpan SPAN = new ProfileSpan(1_790_000_000_000_000_000L, 2_500_000_000L);

  @TempDir Path folder;

  @Test
  void samplesReadBackAsTheProfilesStacks() throws Exception {
    Profile profile = TestProfiles.cpu();
    PprofProto.Profile pprof = read(new PprofWriter().write(profile, ProfileKind.CPU, SPAN, folder, "cpu"));

    Map<Stack, Long> expected = new HashMap<>();
    for (StackSample sample : profile.samples()) {
      if (sample.count() > 0) {
        List<String> names = sample.frames().stream().map(Frame::name).toList();
        expected.merge(new Stack(sample.thread(), sample.tid(), names), sample.count(), Long::sum);
      }
    }
    Map<Stack, Long> actual = new HashMap<>();
    for (PprofProto.Sample sample : pprof.getSampleList()) {
      assertEquals(2, sample.getValueCount());
      assertEquals(sample.getValue(0) * TestProfiles.INTERVAL_NS, sample.getValue(1));
      actual.merge(stackOf(pprof, sample), sample.getValue(0), Long::sum);
    }
    assertEquals(expected, actual);
  }

  @Test
  void totalsMatchTheCollapsedFile() throws Exception {
    Profile profile = TestProfiles.cpu();
    PprofProto.Profile pprof = read(new PprofWriter().write(profile, ProfileKind.CPU, SPAN, folder, "cpu"));
    long collapsed = 0;
    for (String line : Files.readAllLines(new CollapsedWriter().write(profile, folder, "cpu"))) {
      collapsed += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }

    long samples = pprof.getSampleList().stream().mapToLong(s -> s.getValue(0)).sum();
    long cpuNs = pprof.getSampleList().stream().mapToLong(s -> s.getValue(1)).sum();
    assertEquals(16, collapsed);
    assertEquals(collapsed, samples);
    assertEquals(collapsed * TestProfiles.INTERVAL_NS, cpuNs);
  }

  @Test
  void describesItsValuesAndPeriod() throws Exception {
    PprofProto.Profile pprof =
        read(new PprofWriter().write(TestProfiles.cpu(), ProfileKind.CPU, SPAN, folder, "cpu"));

    assertEquals("", pprof.getStringTable(0));
    assertEquals(List.of("samples/count", "cpu/nanoseconds"),
        pprof.getSampleTypeList().stream().map(t -> valueType(pprof, t)).toList());
    assertEquals("cpu/nanoseconds", valueType(pprof, pprof.getPeriodType()));
    assertEquals(TestProfiles.INTERVAL_NS, pprof.getPeriod());
    assertEquals(SPAN.startEpochNanos(), pprof.getTimeNanos());
    assertEquals(SPAN.durationNanos(), pprof.getDurationNanos());
    assertEquals("Produced by jvm-ebpf", string(pprof, pprof.getComment(0)));
  }

  @Test
  void oneFunctionAndLocationPerFrameKernelFramesApart() throws Exception {
    Profile profile = TestProfiles.cpu();
    PprofProto.Profile pprof = read(new PprofWriter().write(profile, ProfileKind.CPU, SPAN, folder, "cpu"));

    Set<String> frames = new HashSet<>();
    Set<String> kernel = new HashSet<>();
    for (StackSample sample : profile.samples()) {
      if (sample.count() > 0) {
        for (Frame frame : sample.frames()) {
          frames.add(frame.name());
          if (frame.kind() == FrameKind.KERNEL) {
            kernel.add(frame.name());
          }
        }
      }
    }
    assertEquals(frames.size(), pprof.getFunctionCount());
    assertEquals(frames.size(), pprof.getLocationCount());
    Set<String> names = new HashSet<>();
    for (PprofProto.Function function : pprof.getFunctionList()) {
      assertTrue(names.add(string(pprof, function.getName())), "one function per name");
    }
    Map<Long, String> mappings = new HashMap<>();
    for (PprofProto.Mapping mapping : pprof.getMappingList()) {
      assertTrue(mapping.getHasFunctions());
      mappings.put(mapping.getId(), string(pprof, mapping.getFilename()));
    }
    for (PprofProto.Location location : pprof.getLocationList()) {
      String name = functionName(pprof, location.getLine(0).getFunctionId());
      String mapping = mappings.get(location.getMappingId());
      assertEquals(kernel.contains(name) ? "[kernel.kallsyms]" : "[jvm]", mapping, name);
    }
  }

  @Test
  void anUnknownSpanIsLeftUnset() throws Exception {
    PprofProto.Profile pprof =
        read(new PprofWriter().write(TestProfiles.cpu(), ProfileKind.CPU, ProfileSpan.UNKNOWN, folder, "cpu"));
    assertFalse(folder.resolve("cpu.pb.gz.partial").toFile().exists());
    assertEquals(0, pprof.getTimeNanos());
    assertEquals(0, pprof.getDurationNanos());
  }

  private static PprofProto.Profile read(Path file) throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return PprofProto.Profile.parseFrom(in);
    }
  }

  /** Thread, tid and frames root first, from the labels and location -> function -> string ids. */
  private static Stack stackOf(PprofProto.Profile pprof, PprofProto.Sample sample) {
    String thread = null;
    long tid = -1;
    for (PprofProto.Label label : sample.getLabelList()) {
      switch (string(pprof, label.getKey())) {
        case "thread" -> thread = string(pprof, label.getStr());
        case "thread id" -> tid = label.getNum();
        default -> throw new AssertionError("unexpected label " + label);
      }
    }
    List<String> frames = new ArrayList<>();
    for (long id : sample.getLocationIdList()) {
      PprofProto.Location location = find(pprof.getLocationList(), id, PprofProto.Location::getId);
      assertEquals(1, location.getLineCount());
      frames.addFirst(functionName(pprof, location.getLine(0).getFunctionId()));
    }
    return new Stack(thread, (int) tid, frames);
  }

  private static String functionName(PprofProto.Profile pprof, long functionId) {
    return string(pprof, find(pprof.getFunctionList(), functionId, PprofProto.Function::getId).getName());
  }

  private static <T> T find(List<T> items, long id, java.util.function.ToLongFunction<T> idOf) {
    return items.stream().filter(item -> idOf.applyAsLong(item) == id).findFirst().orElseThrow();
  }

  private static String valueType(PprofProto.Profile pprof, PprofProto.ValueType type) {
    return string(pprof, type.getType()) + "/" + string(pprof, type.getUnit());
  }

  private static String string(PprofProto.Profile pprof, long index) {
    return pprof.getStringTable((int) index);
  }

  private record Stack(String thread, int tid, List<String> frames) {}
}
