package io.jvmebpf.agent.otel.profiles;

/**
 * Field numbers of OTLP's profiles signal as opentelemetry-proto 1.11.0-alpha defines it
 * ({@code opentelemetry/proto/profiles/v1development/profiles.proto}, {@code
 * collector/profiles/v1development/profiles_service.proto}, {@code common/v1/common.proto},
 * {@code resource/v1/resource.proto}), by message. The signal is alpha: when the schema moves,
 * this file and {@code OtlpProfilesEncoderTest}, which decodes with the generated classes of the
 * version the pom names, move with it.
 */
final class ProfilesSchema {
  private ProfilesSchema() {}

  // ExportProfilesServiceRequest
  static final int REQUEST_RESOURCE_PROFILES = 1;
  static final int REQUEST_DICTIONARY = 2;

  // ResourceProfiles
  static final int RESOURCE_PROFILES_RESOURCE = 1;
  static final int RESOURCE_PROFILES_SCOPE_PROFILES = 2;

  // Resource
  static final int RESOURCE_ATTRIBUTES = 1;

  // ScopeProfiles
  static final int SCOPE_PROFILES_SCOPE = 1;
  static final int SCOPE_PROFILES_PROFILES = 2;

  // InstrumentationScope
  static final int SCOPE_NAME = 1;
  static final int SCOPE_VERSION = 2;

  // KeyValue and AnyValue (common.proto)
  static final int KEY_VALUE_KEY = 1;
  static final int KEY_VALUE_VALUE = 2;
  static final int ANY_VALUE_STRING = 1;
  static final int ANY_VALUE_INT = 3;

  // Profile
  static final int PROFILE_SAMPLE_TYPE = 1;
  static final int PROFILE_SAMPLES = 2;
  static final int PROFILE_TIME_UNIX_NANO = 3; // fixed64
  static final int PROFILE_DURATION_NANO = 4;
  static final int PROFILE_PERIOD_TYPE = 5;
  static final int PROFILE_PERIOD = 6;
  static final int PROFILE_ID = 7;

  // ValueType
  static final int VALUE_TYPE_TYPE = 1;
  static final int VALUE_TYPE_UNIT = 2;

  // Sample
  static final int SAMPLE_STACK_INDEX = 1;
  static final int SAMPLE_ATTRIBUTE_INDICES = 2;
  static final int SAMPLE_LINK_INDEX = 3;
  static final int SAMPLE_VALUES = 4;

  // ProfilesDictionary
  static final int DICTIONARY_MAPPING_TABLE = 1;
  static final int DICTIONARY_LOCATION_TABLE = 2;
  static final int DICTIONARY_FUNCTION_TABLE = 3;
  static final int DICTIONARY_LINK_TABLE = 4;
  static final int DICTIONARY_STRING_TABLE = 5;
  static final int DICTIONARY_ATTRIBUTE_TABLE = 6;
  static final int DICTIONARY_STACK_TABLE = 7;

  // Link
  static final int LINK_TRACE_ID = 1;
  static final int LINK_SPAN_ID = 2;

  // Stack
  static final int STACK_LOCATION_INDICES = 1;

  // Location and Line
  static final int LOCATION_LINES = 3;
  static final int LOCATION_ATTRIBUTE_INDICES = 4;
  static final int LINE_FUNCTION_INDEX = 1;

  // Function
  static final int FUNCTION_NAME = 1;

  // KeyValueAndUnit
  static final int ATTRIBUTE_KEY = 1;
  static final int ATTRIBUTE_VALUE = 2;
}
