package io.jvmebpf.otel;

/** Trace and span ids from the SDK's lowercase hex, without allocating. */
final class HexIds {
  private HexIds() {}

  /** The 16 hex digits of {@code id} from {@code offset} as a big-endian long; 0 if not hex. */
  static long parse(CharSequence id, int offset) {
    if (id.length() < offset + 16) {
      return 0;
    }
    long value = 0;
    for (int i = offset; i < offset + 16; i++) {
      int digit = Character.digit(id.charAt(i), 16);
      if (digit < 0) {
        return 0;
      }
      value = (value << 4) | digit;
    }
    return value;
  }
}
