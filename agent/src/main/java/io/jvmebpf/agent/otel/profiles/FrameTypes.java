package io.jvmebpf.agent.otel.profiles;

import io.jvmebpf.agent.profile.FrameKind;

/**
 * A frame's {@code profile.frame.type}, the semantic conventions' attribute of a location, from
 * the registry's well-known values: {@code kernel}, {@code native}, {@code jvm}.
 */
final class FrameTypes {
  static final String KEY = "profile.frame.type";

  private FrameTypes() {}

  /**
   * The value for frames of this kind, or null for those no value fits: an address nothing named
   * ({@code [unknown]}), and the allocated class at the leaf of an allocation profile, which is
   * data, not code.
   */
  static String of(FrameKind kind) {
    return switch (kind) {
      case KERNEL -> "kernel";
      case NATIVE -> "native";
      case JIT, INLINED, INTERPRETED -> "jvm";
      case UNKNOWN, ALLOCATED_CLASS -> null;
    };
  }
}
