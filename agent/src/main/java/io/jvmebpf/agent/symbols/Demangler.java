package io.jvmebpf.agent.symbols;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * C++ symbol names as async-profiler prints frames: demangled, without the argument list ({@code
 * JavaThread::thread_main_inner}, not {@code _ZN10JavaThread17thread_main_innerEv} nor {@code
 * JavaThread::thread_main_inner()}). A name that is not mangled, or that {@code __cxa_demangle}
 * rejects, or any name when libstdc++ is absent, is returned as it is. Results are cached (bounded,
 * least recently used out). Safe for any thread.
 */
public final class Demangler {
  static final int MAX_CACHED = 16_384;

  private final Map<String, String> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_CACHED;
        }
      };

  /**
   * @return why names stay mangled, or null when demangling works
   */
  public static String unavailableReason() {
    return CxaDemangle.UNAVAILABLE;
  }

  public synchronized String demangle(String symbol) {
    if (!symbol.startsWith("_Z")) {
      return symbol;
    }
    String cached = cache.get(symbol);
    if (cached == null) {
      cached = demangleUncached(symbol);
      cache.put(symbol, cached);
    }
    return cached;
  }

  private static String demangleUncached(String symbol) {
    String full = CxaDemangle.demangle(symbol);
    int dot = symbol.indexOf('.');
    if (full == null && dot > 0) {
      // A compiler suffix (".part.0", ".lto_priv.0") that this libstdc++ does not accept.
      full = CxaDemangle.demangle(symbol.substring(0, dot));
    }
    return full == null ? symbol : withoutArguments(full);
  }

  /**
   * Cuts at the parenthesis that opens the last balanced {@code (...)}: the argument list, after
   * which only qualifiers and clone suffixes follow ({@code const}, {@code [clone .cold]}).
   * Parentheses inside template arguments or a lambda's name come earlier and stay: {@code
   * std::function<void ()>::operator()() const} becomes {@code std::function<void ()>::operator()}.
   */
  static String withoutArguments(String demangled) {
    int close = demangled.lastIndexOf(')');
    if (close < 0) {
      return demangled;
    }
    int depth = 1;
    for (int i = close - 1; i > 0; i--) {
      char c = demangled.charAt(i);
      if (c == ')') {
        depth++;
      } else if (c == '(' && --depth == 0) {
        return demangled.substring(0, i);
      }
    }
    return demangled;
  }
}
