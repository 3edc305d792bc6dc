package io.jvmebpf.agent.report;

import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.threads.ThreadIdentity;
import io.jvmebpf.agent.threads.ThreadRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Where probes put their figures at report time, by thread; then joined with thread names. */
public final class ReportBuilder {
  private final Map<Integer, List<SyscallSummary>> syscalls = new TreeMap<>();
  private final Map<Integer, CpuSummary> cpu = new TreeMap<>();
  private final List<ProfileFile> profiles = new ArrayList<>();
  private final Map<String, Long> dropped = new LinkedHashMap<>();
  private CpuInfo cpuInfo;

  public void syscalls(int tid, List<SyscallSummary> perSyscall) {
    List<SyscallSummary> sorted = new ArrayList<>(perSyscall);
    sorted.sort(Comparator.comparingLong(SyscallSummary::count).reversed()
        .thenComparing(SyscallSummary::name));
    syscalls.put(tid, List.copyOf(sorted));
  }

  public void cpu(int tid, CpuSummary summary) {
    cpu.put(tid, summary);
  }

  public void cpuInfo(CpuInfo info) {
    cpuInfo = info;
  }

  public CpuInfo cpuInfo() {
    return cpuInfo;
  }

  /** A profile to write beside {@code summary.json} as {@code baseName.collapsed} and the like. */
  public record ProfileFile(String baseName, Profile profile, ProfileKind kind, ProfileSpan span) {}

  public void profile(ProfileFile file) {
    profiles.add(file);
  }

  public List<ProfileFile> profiles() {
    return List.copyOf(profiles);
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
    TreeSet<Integer> tids = new TreeSet<>(syscalls.keySet());
    tids.addAll(cpu.keySet());
    List<ThreadSummary> threads = new ArrayList<>();
    for (int tid : tids) {
      ThreadIdentity who = registry.identify(tid);
      threads.add(new ThreadSummary(
          who.tid(), who.name(), who.javaThreadId(), syscalls.getOrDefault(tid, List.of()), cpu.get(tid)));
    }
    return threads;
  }
}
