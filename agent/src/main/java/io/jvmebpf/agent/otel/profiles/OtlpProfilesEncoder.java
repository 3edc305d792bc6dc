package io.jvmebpf.agent.otel.profiles;

import static io.jvmebpf.agent.otel.profiles.ProfilesSchema.*;

import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.ReportBuilder.ProfileFile;
import io.jvmebpf.agent.report.profile.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import one.proto.Proto;

/**
 * The report's profiles as one OTLP {@code ExportProfilesServiceRequest} (opentelemetry-proto
 * 1.11.0-alpha, {@link ProfilesSchema}): one resource with the attributes the traces carry, one
 * scope ({@code jvm-ebpf} and its version), a profile per report profile, and the dictionary
 * they share. A sample is one (stack, thread, span link) with one aggregated value; its
 * attributes are {@code thread.id} and {@code thread.name}.
 *
 * <p>Encoded with async-profiler's {@code one.proto.Proto}, as the pprof files are, not with
 * protobuf-java, whose static initializers start {@code java.util.logging} under the
 * application (see {@code PprofWriter}); the tests decode it with the generated classes.
 */
public final class OtlpProfilesEncoder {
  static final String SCOPE = "jvm-ebpf";

  private OtlpProfilesEncoder() {}

  /**
   * @param resource the resource attributes ({@code OtelOptions.resource()})
   * @param version the agent's version, the scope's
   * @return the request's bytes
   */
  public static byte[] encode(List<ProfileFile> profiles, Map<String, String> resource, String version) {
    ProfilesDictionary dictionary = new ProfilesDictionary();
    Proto scopeProfiles = new Proto(64 * 1024)
        .field(SCOPE_PROFILES_SCOPE, new Proto(32).field(SCOPE_NAME, SCOPE).field(SCOPE_VERSION, version));
    for (ProfileFile profile : profiles) {
      scopeProfiles.field(SCOPE_PROFILES_PROFILES, profile(profile, dictionary));
    }
    Proto resourceMessage = new Proto(256);
    resource.forEach((key, value) -> resourceMessage.field(RESOURCE_ATTRIBUTES, new Proto(64)
        .field(KEY_VALUE_KEY, key)
        .field(KEY_VALUE_VALUE, new Proto(32).field(ANY_VALUE_STRING, value))));
    Proto resourceProfiles = new Proto(scopeProfiles.size() + 1024)
        .field(RESOURCE_PROFILES_RESOURCE, resourceMessage)
        .field(RESOURCE_PROFILES_SCOPE_PROFILES, scopeProfiles);
    Proto request = new Proto(resourceProfiles.size() + 64 * 1024).field(REQUEST_RESOURCE_PROFILES, resourceProfiles);
    dictionary.writeTo(request, REQUEST_DICTIONARY);
    byte[] bytes = new byte[request.size()];
    System.arraycopy(request.buffer(), 0, bytes, 0, bytes.length);
    return bytes;
  }

  private static Proto profile(ProfileFile file, ProfilesDictionary dictionary) {
    SampleTypes types = SampleTypes.of(file.kind(), file.profile().intervalNs());
    Proto profile = new Proto(16 * 1024).field(PROFILE_SAMPLE_TYPE, valueType(types.sampleType(), dictionary));
    // Samples that share a stack, a thread and a link are one sample, as the schema asks: the
    // profile keeps stacks apart that the JVM and the kernel named, which are the same here.
    Map<SampleKey, long[]> samples = new LinkedHashMap<>();
    for (StackSample sample : file.profile().samples()) {
      if (sample.count() > 0) {
        SampleKey key = new SampleKey(dictionary.stack(sample.frames()),
            dictionary.attribute("thread.id", sample.tid()), dictionary.attribute("thread.name", sample.thread()),
            dictionary.link(sample.link()));
        samples.computeIfAbsent(key, k -> new long[1])[0] += sample.count();
      }
    }
    Proto message = new Proto(64);
    Proto values = new Proto(10);
    samples.forEach((key, value) -> {
      message.reset();
      values.reset();
      values.writeLong(value[0]); // packed repeated int64: one value, the aggregate
      message.field(SAMPLE_STACK_INDEX, key.stack())
          .field(SAMPLE_ATTRIBUTE_INDICES, ProfilesDictionary.packed(new int[] {key.threadId(), key.threadName()}));
      if (key.link() != 0) {
        message.field(SAMPLE_LINK_INDEX, key.link());
      }
      message.field(SAMPLE_VALUES, values);
      profile.field(PROFILE_SAMPLES, message);
    });
    if (file.span().startEpochNanos() != 0) {
      profile.fieldFixed64(PROFILE_TIME_UNIX_NANO, file.span().startEpochNanos());
    }
    if (file.span().durationNanos() > 0) {
      profile.field(PROFILE_DURATION_NANO, file.span().durationNanos());
    }
    if (types.periodType() != null) {
      profile.field(PROFILE_PERIOD_TYPE, valueType(types.periodType(), dictionary)).field(PROFILE_PERIOD, types.period());
    }
    return profile.field(PROFILE_ID, profileId());
  }

  private static Proto valueType(ValueType type, ProfilesDictionary dictionary) {
    return new Proto(8)
        .field(VALUE_TYPE_TYPE, dictionary.string(type.type()))
        .field(VALUE_TYPE_UNIT, dictionary.string(type.unit()));
  }

  /** 16 random bytes, never all zero (the schema's "invalid"). */
  private static byte[] profileId() {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1;
    return id;
  }

  private record SampleKey(int stack, int threadId, int threadName, int link) {}
}
