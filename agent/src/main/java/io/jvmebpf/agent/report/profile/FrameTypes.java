package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Frame;

/** The frame types of async-profiler's flame graph, which set each frame's colour. */
final class FrameTypes {
  private FrameTypes() {}

  static byte of(Frame frame) {
    return switch (frame.kind()) {
      case JIT -> one.convert.Frame.TYPE_JIT_COMPILED;
      case INLINED -> one.convert.Frame.TYPE_INLINED;
      case INTERPRETED -> one.convert.Frame.TYPE_INTERPRETED;
      case KERNEL -> one.convert.Frame.TYPE_KERNEL;
      // async-profiler tells the JVM's own C++ from other native code the same way.
      case NATIVE -> frame.name().contains("::") ? one.convert.Frame.TYPE_CPP : one.convert.Frame.TYPE_NATIVE;
      case UNKNOWN -> one.convert.Frame.TYPE_NATIVE;
      case ALLOCATED_CLASS -> one.convert.Frame.TYPE_CPP; // a colour no Java frame has
    };
  }
}
