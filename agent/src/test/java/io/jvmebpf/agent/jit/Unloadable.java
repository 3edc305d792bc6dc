package io.jvmebpf.agent.jit;

/** Defined again and again as a hidden class, compiled, then let go so that the JVM unloads it. */
final class Unloadable {
  private Unloadable() {}

  static long spin(int n) {
    long s = 0;
    for (int i = 0; i < n; i++) {
      s = s * 17 + i;
    }
    return s;
  }
}
