package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import one.proto.Proto;

/**
 * Writes pprof's gzipped {@code perftools.profiles.Profile} (schema: src/main/proto/profile.proto),
 * read by {@code go tool pprof}, Pyroscope, Grafana and IntelliJ. Laid out like async-profiler's
 * {@code JfrToPprof}: one Function and one Location per distinct frame, already symbolized (no
 * addresses), a {@code thread} label per sample, a comment naming the producer. Beyond it: the
 * period and its type, a numeric {@code thread id} label, and kernel frames in a mapping of their
 * own named as perf names the kernel, so that a kernel and a user function of the same name stay
 * apart.
 *
 * <p>Encoded with async-profiler's {@code one.proto.Proto}, as {@code JfrToPprof} is, rather than
 * protobuf-java: that runtime starts {@code java.util.logging} in its static initializers, which
 * the agent never does under the application, and would quadruple the agent jar. The tests parse
 * the files with classes generated from the schema.
 */
public final class PprofWriter {
  public static final String EXTENSION = ".pb.gz";

  // Field numbers of profile.proto, by message.
  private static final int PROFILE_SAMPLE_TYPE = 1;
  private static final int PROFILE_SAMPLE = 2;
  private static final int PROFILE_MAPPING = 3;
  private static final int PROFILE_LOCATION = 4;
  private static final int PROFILE_FUNCTION = 5;
  private static final int PROFILE_STRING_TABLE = 6;
  private static final int PROFILE_TIME_NANOS = 9;
  private static final int PROFILE_DURATION_NANOS = 10;
  private static final int PROFILE_PERIOD_TYPE = 11;
  private static final int PROFILE_PERIOD = 12;
  private static final int PROFILE_COMMENT = 13;
  private static final int VALUE_TYPE_TYPE = 1;
  private static final int VALUE_TYPE_UNIT = 2;
  private static final int SAMPLE_LOCATION_ID = 1;
  private static final int SAMPLE_VALUE = 2;
  private static final int SAMPLE_LABEL = 3;
  private static final int LABEL_KEY = 1;
  private static final int LABEL_STR = 2;
  private static final int LABEL_NUM = 3;
  private static final int MAPPING_ID = 1;
  private static final int MAPPING_FILENAME = 5;
  private static final int MAPPING_HAS_FUNCTIONS = 7;
  private static final int LOCATION_ID = 1;
  private static final int LOCATION_MAPPING_ID = 2;
  private static final int LOCATION_LINE = 4;
  private static final int LINE_FUNCTION_ID = 1;
  private static final int FUNCTION_ID = 1;
  private static final int FUNCTION_NAME = 2;

  private static final long USER_MAPPING = 1;
  private static final long KERNEL_MAPPING = 2;

  public Path write(Profile profile, ProfileKind kind, ProfileSpan span, Path folder, String baseName)
      throws IOException {
    Proto pprof = encode(profile, kind, span);
    return AtomicFile.write(
        folder.resolve(baseName + EXTENSION),
        out -> {
          GZIPOutputStream gzip = new GZIPOutputStream(out);
          gzip.write(pprof.buffer(), 0, pprof.size());
          gzip.finish();
        });
  }

  static Proto encode(Profile profile, ProfileKind kind, ProfileSpan span) {
    Encoder encoder = new Encoder(profile.intervalNs(), kind);
    for (StackSample sample : profile.samples()) {
      if (sample.count() > 0) {
        encoder.add(sample);
      }
    }
    return encoder.finish(span);
  }

  /**
   * One profile being encoded. Samples go out as they come; the tables they index (frames,
   * strings) follow at the end, which protobuf's any-order fields allow.
   */
  private static final class Encoder {
    private final Proto profile = new Proto(64 * 1024);
    private final Proto sample = new Proto(256);
    private final Map<String, Integer> strings = new HashMap<>();
    private final List<String> stringTable = new ArrayList<>();
    private final Map<LocationKey, Integer> locations = new HashMap<>();
    private final List<LocationKey> locationTable = new ArrayList<>();
    private final long intervalNs;
    private final ProfileKind kind;

    Encoder(long intervalNs, ProfileKind kind) {
      this.intervalNs = intervalNs;
      this.kind = kind;
      string(""); // index 0, as the format requires
      for (ValueType type : kind.sampleTypes()) {
        profile.field(PROFILE_SAMPLE_TYPE, valueType(type));
      }
      profile.field(PROFILE_PERIOD_TYPE, valueType(kind.periodType())).field(PROFILE_PERIOD, intervalNs);
    }

    void add(StackSample stack) {
      sample.reset();
      long ids = sample.startField(SAMPLE_LOCATION_ID, 3); // packed, at most 2 MiB of ids
      List<Frame> frames = stack.frames();
      for (int i = frames.size() - 1; i >= 0; i--) { // leaf first
        sample.writeInt(location(frames.get(i)));
      }
      sample.commitField(ids);
      for (ValueType type : kind.sampleTypes()) {
        sample.field(SAMPLE_VALUE, type.of(stack.count(), intervalNs));
      }
      sample.field(SAMPLE_LABEL, new Proto(16).field(LABEL_KEY, string("thread")).field(LABEL_STR, string(stack.thread())));
      sample.field(SAMPLE_LABEL, new Proto(16).field(LABEL_KEY, string("thread id")).field(LABEL_NUM, (long) stack.tid()));
      profile.field(PROFILE_SAMPLE, sample);
    }

    Proto finish(ProfileSpan span) {
      profile.field(PROFILE_MAPPING, mapping(USER_MAPPING, "[jvm]"));
      profile.field(PROFILE_MAPPING, mapping(KERNEL_MAPPING, "[kernel.kallsyms]"));
      // Location i names Function i: each frame is both.
      for (int id = 1; id <= locationTable.size(); id++) {
        LocationKey key = locationTable.get(id - 1);
        profile.field(PROFILE_LOCATION, new Proto(16)
            .field(LOCATION_ID, id)
            .field(LOCATION_MAPPING_ID, key.kernel() ? KERNEL_MAPPING : USER_MAPPING)
            .field(LOCATION_LINE, new Proto(8).field(LINE_FUNCTION_ID, id)));
        profile.field(PROFILE_FUNCTION, new Proto(16).field(FUNCTION_ID, id).field(FUNCTION_NAME, string(key.name())));
      }
      profile.field(PROFILE_COMMENT, string("Produced by jvm-ebpf"));
      if (span.startEpochNanos() != 0) {
        profile.field(PROFILE_TIME_NANOS, span.startEpochNanos());
      }
      if (span.durationNanos() != 0) {
        profile.field(PROFILE_DURATION_NANOS, span.durationNanos());
      }
      for (String string : stringTable) { // last: every string is known by now
        profile.field(PROFILE_STRING_TABLE, string);
      }
      return profile;
    }

    /** The frame's id, nonzero; frames are told apart by name, and kernel from user code. */
    private int location(Frame frame) {
      LocationKey key = new LocationKey(frame.name(), frame.kind() == FrameKind.KERNEL);
      Integer id = locations.get(key);
      if (id == null) {
        locationTable.add(key);
        id = locationTable.size();
        locations.put(key, id);
      }
      return id;
    }

    private Proto valueType(ValueType type) {
      return new Proto(8).field(VALUE_TYPE_TYPE, string(type.type())).field(VALUE_TYPE_UNIT, string(type.unit()));
    }

    /** A mapping that stands for code, not addresses: its locations are already named. */
    private Proto mapping(long id, String name) {
      return new Proto(16).field(MAPPING_ID, id).field(MAPPING_FILENAME, string(name)).field(MAPPING_HAS_FUNCTIONS, 1);
    }

    private int string(String s) {
      Integer index = strings.get(s);
      if (index == null) {
        index = stringTable.size();
        stringTable.add(s);
        strings.put(s, index);
      }
      return index;
    }
  }

  private record LocationKey(String name, boolean kernel) {}
}
