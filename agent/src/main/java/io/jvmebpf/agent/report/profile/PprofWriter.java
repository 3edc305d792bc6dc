package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.AtomicFile;
import io.jvmebpf.agent.report.profile.pprof.PprofProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes pprof's gzipped {@code perftools.profiles.Profile}, read by {@code go tool pprof},
 * Pyroscope, Grafana and IntelliJ. Laid out like async-profiler's {@code JfrToPprof}: one
 * Function and one Location per distinct frame, already symbolized (no addresses), a {@code
 * thread} label per sample, and a comment naming the producer. Beyond it: the period and its type,
 * a numeric {@code thread id} label, and kernel frames in a mapping of their own named as perf
 * names the kernel, so that a kernel and a user function of the same name stay apart.
 */
public final class PprofWriter {
  public static final String EXTENSION = ".pb.gz";

  private static final long USER_MAPPING = 1;
  private static final long KERNEL_MAPPING = 2;

  public Path write(Profile profile, ProfileKind kind, ProfileSpan span, Path folder, String baseName)
      throws IOException {
    PprofProto.Profile pprof = build(profile, kind, span);
    return AtomicFile.write(
        folder.resolve(baseName + EXTENSION),
        out -> {
          GZIPOutputStream gzip = new GZIPOutputStream(out);
          pprof.writeTo(gzip);
          gzip.finish();
        });
  }

  static PprofProto.Profile build(Profile profile, ProfileKind kind, ProfileSpan span) {
    Builder builder = new Builder(profile.intervalNs(), kind);
    for (StackSample sample : profile.samples()) {
      if (sample.count() > 0) {
        builder.add(sample);
      }
    }
    return builder.finish(span);
  }

  /** One profile being built: the string table and the frames seen so far. */
  private static final class Builder {
    private final PprofProto.Profile.Builder profile = PprofProto.Profile.newBuilder();
    private final Map<String, Long> strings = new HashMap<>();
    private final List<String> stringTable = new ArrayList<>();
    private final Map<LocationKey, Long> locations = new HashMap<>();
    private final long intervalNs;
    private final ProfileKind kind;

    Builder(long intervalNs, ProfileKind kind) {
      this.intervalNs = intervalNs;
      this.kind = kind;
      string(""); // index 0, as the format requires
      for (ValueType type : kind.sampleTypes()) {
        profile.addSampleType(valueType(type));
      }
      profile.setPeriodType(valueType(kind.periodType())).setPeriod(intervalNs);
      profile.addMapping(mapping(USER_MAPPING, "[jvm]"));
      profile.addMapping(mapping(KERNEL_MAPPING, "[kernel.kallsyms]"));
      profile.addComment(string("Produced by jvm-ebpf"));
    }

    void add(StackSample sample) {
      PprofProto.Sample.Builder out = PprofProto.Sample.newBuilder();
      List<Frame> frames = sample.frames();
      for (int i = frames.size() - 1; i >= 0; i--) { // leaf first
        out.addLocationId(location(frames.get(i)));
      }
      for (ValueType type : kind.sampleTypes()) {
        out.addValue(type.of(sample.count(), intervalNs));
      }
      out.addLabel(PprofProto.Label.newBuilder().setKey(string("thread")).setStr(string(sample.thread())));
      out.addLabel(PprofProto.Label.newBuilder().setKey(string("thread id")).setNum(sample.tid()));
      profile.addSample(out);
    }

    PprofProto.Profile finish(ProfileSpan span) {
      return profile
          .addAllStringTable(stringTable)
          .setTimeNanos(span.startEpochNanos())
          .setDurationNanos(span.durationNanos())
          .build();
    }

    private long location(Frame frame) {
      LocationKey key = new LocationKey(frame.name(), frame.kind() == FrameKind.KERNEL);
      Long known = locations.get(key);
      if (known != null) {
        return known;
      }
      long id = locations.size() + 1; // ids are nonzero; Location i names Function i
      profile.addFunction(PprofProto.Function.newBuilder().setId(id).setName(string(frame.name())));
      profile.addLocation(
          PprofProto.Location.newBuilder()
              .setId(id)
              .setMappingId(key.kernel() ? KERNEL_MAPPING : USER_MAPPING)
              .addLine(PprofProto.Line.newBuilder().setFunctionId(id)));
      locations.put(key, id);
      return id;
    }

    private PprofProto.ValueType valueType(ValueType type) {
      return PprofProto.ValueType.newBuilder().setType(string(type.type())).setUnit(string(type.unit())).build();
    }

    /** A mapping that stands for code, not addresses: its locations are already named. */
    private PprofProto.Mapping mapping(long id, String name) {
      return PprofProto.Mapping.newBuilder().setId(id).setFilename(string(name)).setHasFunctions(true).build();
    }

    private long string(String s) {
      return strings.computeIfAbsent(
          s,
          added -> {
            stringTable.add(added);
            return (long) stringTable.size() - 1;
          });
    }
  }

  private record LocationKey(String name, boolean kernel) {}
}
