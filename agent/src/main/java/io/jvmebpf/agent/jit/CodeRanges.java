package io.jvmebpf.agent.jit;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Compiled code by address. New code replaces whatever it overlaps: the memory holds the new code
 * now, so an unload that was missed, or a replayed load of code freed since, cannot leave a stale
 * name over live code. One writer (the code map's drain), any number of readers, which see each
 * piece of code whole or not at all.
 */
final class CodeRanges {
  private final ConcurrentSkipListMap<Long, CompiledCode> byStart = new ConcurrentSkipListMap<>();

  void add(CompiledCode code) {
    Map.Entry<Long, CompiledCode> before = byStart.lowerEntry(code.start());
    if (before != null && before.getValue().end() > code.start()) {
      byStart.remove(before.getKey());
    }
    byStart.subMap(code.start(), true, code.end(), false).clear();
    byStart.put(code.start(), code);
  }

  /** Forgets the code starting at {@code start}, as JVMTI names unloaded code: by its start. */
  void remove(long start) {
    byStart.remove(start);
  }

  /** The code holding {@code pc}, or null. */
  CompiledCode find(long pc) {
    Map.Entry<Long, CompiledCode> entry = byStart.floorEntry(pc);
    return entry != null && entry.getValue().contains(pc) ? entry.getValue() : null;
  }

  int size() {
    return byStart.size();
  }
}
