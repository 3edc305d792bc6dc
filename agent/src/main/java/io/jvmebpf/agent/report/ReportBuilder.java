package io.jvmebpf.agent.report;

import io.jvmebpf.agent.threads.ThreadIdentity;
import io.jvmebpf.agent.threads.ThreadRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where probes put their figures at report time, by thread; then joined with thread names. */
public final class ReportBuilder {
  private final Map<Integer, List<SyscallSummary>> syscalls = new TreeMap<>();
  private final Map<String, Long> dropped = new LinkedHashMap<>();

  public void syscalls(int tid, List<SyscallSummary> perSyscall) {
    List<SyscallSummary> sorted = new ArrayList<>(perSyscall);
    sorted.sort(Comparator.comparingLong(SyscallSummary::count).reversed()
        .thenComparing(SyscallSummary::name));
    syscalls.put(tid, List.copyOf(sorted));
  }

  /** Records how many events of a kind a bounded map or buffer had to drop. */
  public void dropped(String kind, long count) {
    dropped.put(kind, count);
  }

  public Map<String, Long> dropped() {
    return Map.copyOf(dropped);
  }

  /** One entry per thread some probe saw, in tid order, named through the registry. */
  public List<ThreadSummary> threads(ThreadRegistry registry) {
    List<ThreadSummary> threads = new ArrayList<>();
    for (Map.Entry<Integer, List<SyscallSummary>> e : syscalls.entrySet()) {
      ThreadIdentity who = registry.identify(e.getKey());
      threads.add(new ThreadSummary(who.tid(), who.name(), who.javaThreadId(), e.getValue()));
    }
    return threads;
  }
}
