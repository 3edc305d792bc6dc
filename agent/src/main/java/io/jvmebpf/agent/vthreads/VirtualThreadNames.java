package io.jvmebpf.agent.vthreads;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Virtual thread id to name, as the JVMTI helper sends them at first mount. Bounded at {@value
 * #MAX} names, the oldest forgotten first (counted): a long run of short-lived virtual threads
 * keeps the names of the recent ones, which the samples still waiting to be assembled are of.
 */
public final class VirtualThreadNames {
  static final int MAX = 65_536;

  private final Map<Long, String> names = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
      if (size() > MAX) {
        forgotten++;
        return true;
      }
      return false;
    }
  };
  private long forgotten;

  /** Whether the id is new (a name sent again, after the helper's cache forgot it, is not). */
  public synchronized boolean put(long id, String name) {
    return names.put(id, name) == null;
  }

  /** The name, "" for a virtual thread without one, null when never sent or forgotten. */
  public synchronized String name(long id) {
    return names.get(id);
  }

  public synchronized long forgotten() {
    return forgotten;
  }
}
