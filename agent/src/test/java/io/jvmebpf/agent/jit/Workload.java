package io.jvmebpf.agent.jit;

import java.util.function.IntUnaryOperator;

/** Code the tests make the JIT compile, each method with a known shape. */
final class Workload {
  static final String HOT = Workload.class.getName() + ".hot";
  static final String CALLER = Workload.class.getName() + ".caller";
  static final String TINY = Workload.class.getName() + ".tiny";

  static volatile Object sink;

  private Workload() {}

  /** A loop with no calls: compiled on its own. */
  static long hot(int n) {
    long s = 0;
    for (int i = 0; i < n; i++) {
      s = s * 31 + (i ^ (s >>> 7));
    }
    return s;
  }

  /** Calls {@link #tiny} in a hot loop: small and static, both JITs inline it. */
  static long caller(int n) {
    long s = 0;
    for (int i = 0; i < n; i++) {
      s += tiny(i);
    }
    return s;
  }

  /**
   * The allocation that escapes gives the inlined body a point the JIT records debug information
   * for (its slow path calls the runtime), so some pcs carry the scope {@code caller -> tiny}.
   */
  static int tiny(int x) {
    sink = new int[(x & 7) + 1];
    return x * 31;
  }

  /** A lambda: its class is hidden, named by the JVM with an address suffix. */
  static long lambda(int n) {
    IntUnaryOperator op = x -> x * 3 + 1;
    return apply(op, n);
  }

  private static long apply(IntUnaryOperator op, int n) {
    long s = 0;
    for (int i = 0; i < n; i++) {
      s += op.applyAsInt(i);
    }
    return s;
  }

  /** Runs everything until the JVM lists a tier-4 compilation of {@code caller} and {@code hot}. */
  static void warm() throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      long s = 0;
      for (int i = 0; i < 2_000; i++) {
        s += hot(500) + caller(100) + lambda(100);
      }
      sink = s;
      if (tier4(HOT) && tier4(CALLER)) {
        return;
      }
    }
    throw new AssertionError("the JIT did not compile the workload at tier 4 within 60 s");
  }

  private static boolean tier4(String name) throws Exception {
    return JvmCodeCache.codelist(name).stream().anyMatch(c -> c.level() == 4);
  }
}
