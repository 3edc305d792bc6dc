package io.jvmebpf.agent;

import java.lang.reflect.Method;

/**
 * Grants native access (the FFM API's restricted methods) to the agent's own module only, so the
 * JDK prints no "restricted method" warning on the host's stderr and the application's own
 * native-access policy stays as its command line set it. The bootstrap opened {@code java.lang} to
 * this module through {@code Instrumentation.redefineModule} for this one call.
 */
final class NativeAccess {
  private NativeAccess() {}

  /** @return null when native access is on for this module, else why it could not be */
  static String enableForThisModule() {
    Module self = NativeAccess.class.getModule();
    if (!self.isNamed() || self.isNativeAccessEnabled()) {
      // Unnamed: loaded outside the bootstrap (tests), governed by --enable-native-access.
      return null;
    }
    try {
      Method enable = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
      enable.setAccessible(true);
      enable.invoke(self);
      return self.isNativeAccessEnabled() ? null : "the JDK did not enable native access";
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "this JDK does not let the agent enable native access for its module (" + e + ")";
    }
  }
}
