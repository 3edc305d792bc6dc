package io.jvmebpf.agent.config;

import java.util.Locale;

/** Sizes as async-profiler writes them ({@code alloc=512k}): bytes, or with k, m or g (powers of 1024). */
final class Sizes {
  private Sizes() {}

  /** @return bytes, or -1 when {@code text} is not a size of at least 0 */
  static long parseBytes(String text) {
    String number = text.strip().toLowerCase(Locale.ROOT);
    int shift = 0;
    if (!number.isEmpty()) {
      switch (number.charAt(number.length() - 1)) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        default -> { }
      }
    }
    if (shift > 0) {
      number = number.substring(0, number.length() - 1);
    }
    try {
      long value = Long.parseLong(number);
      return value >= 0 && value <= Long.MAX_VALUE >> shift ? value << shift : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
