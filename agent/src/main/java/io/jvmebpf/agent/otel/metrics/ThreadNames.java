package io.jvmebpf.agent.otel.metrics;

import io.jvmebpf.agent.config.OtelOptions.ThreadNaming;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code thread.name} attribute of per-thread metrics, bounded: with {@code normalize} (the
 * default) the numbers in names go, so a pool's threads share one series, and at most {@link
 * #MAX_NAMES} distinct names get series of their own, the first seen; later ones are {@link #OTHER}.
 * Used by one collecting thread at a time.
 */
final class ThreadNames {
  static final int MAX_NAMES = 100;
  static final String OTHER = "other";

  private final ThreadNaming naming;
  private final Set<String> known = new HashSet<>();

  ThreadNames(ThreadNaming naming) {
    this.naming = naming;
  }

  /** Whether metrics carry a thread attribute at all. */
  boolean perThread() {
    return naming != ThreadNaming.OFF;
  }

  /** The attribute value for a thread of this name (null: unnamed, such as a thread that ended unseen). */
  String of(String name) {
    String value = name == null || name.isEmpty() ? "unknown"
        : naming == ThreadNaming.NORMALIZE ? normalize(name) : name;
    if (known.contains(value)) {
      return value;
    }
    if (known.size() >= MAX_NAMES) {
      return OTHER;
    }
    known.add(value);
    return value;
  }

  /**
   * Each run of digits becomes {@code N} ({@code pool-3-thread-17} is {@code pool-N-thread-N},
   * {@code CompilerThread12} is {@code CompilerThreadN}), except a run right after a letter with
   * more of the name after it, which names a kind rather than counts ({@code C2 CompilerThread0}
   * is {@code C2 CompilerThreadN}, {@code G1 Refine#3} is {@code G1 Refine#N}).
   */
  static String normalize(String name) {
    StringBuilder out = new StringBuilder(name.length());
    int i = 0;
    while (i < name.length()) {
      char c = name.charAt(i);
      if (!isDigit(c)) {
        out.append(c);
        i++;
        continue;
      }
      int end = i;
      while (end < name.length() && isDigit(name.charAt(end))) {
        end++;
      }
      boolean afterLetter = i > 0 && Character.isLetter(name.charAt(i - 1));
      if (afterLetter && end < name.length()) {
        out.append(name, i, end);
      } else {
        out.append('N');
      }
      i = end;
    }
    return out.toString();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
