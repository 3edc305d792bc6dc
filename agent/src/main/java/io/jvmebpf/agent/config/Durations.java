package io.jvmebpf.agent.config;

import java.util.Map;

/** Durations as async-profiler writes them: {@code 10ms}, {@code 500us}, {@code 1s}, or bare nanoseconds. */
final class Durations {
  private static final Map<String, Long> TWO_LETTER_UNITS = Map.of("ns", 1L, "us", 1_000L, "ms", 1_000_000L);

  private Durations() {}

  /** @return nanoseconds, or -1 when {@code text} is not a positive duration */
  static long parseNanos(String text) {
    String number = text;
    long scale = 1;
    String suffix = text.length() > 2 ? text.substring(text.length() - 2) : "";
    if (TWO_LETTER_UNITS.containsKey(suffix)) {
      scale = TWO_LETTER_UNITS.get(suffix);
      number = text.substring(0, text.length() - 2);
    } else if (text.endsWith("s")) {
      scale = 1_000_000_000L;
      number = text.substring(0, text.length() - 1);
    }
    try {
      long value = Long.parseLong(number.strip());
      return value > 0 && value <= Long.MAX_VALUE / scale ? value * scale : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
