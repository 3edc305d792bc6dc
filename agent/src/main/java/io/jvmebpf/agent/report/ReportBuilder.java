package io.jvmebpf.agent.report;

import io.jvmebpf.agent.spans.SpanSummary;
import io.jvmebpf.agent.vthreads.VirtualThreadSummary;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.threads.ThreadIdentity;
import io.jvmebpf.agent.threads.ThreadRegistry;
import java.util.ArrayList;
import java.util.HashMap;
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
  private final Map<Integer, TimeSummary> time = new TreeMap<>();
  private final Map<Integer, OffCpuSummary> offCpu = new TreeMap<>();
  private final List<ProfileFile> profiles = new ArrayList<>();
  private final Map<String, ProfileFile> unexported = new HashMap<>();
  private List<ChildProcess> processes = List.of();
  private List<FileSummary> files;
  private final Map<Integer, ThreadNetwork> network = new TreeMap<>();
  private List<Connection> connections;
  private NetworkInfo networkInfo;
  private final Map<Integer, NativeMemory> nativeMemory = new TreeMap<>();
  private final Map<Integer, PageFaults> pageFaults = new TreeMap<>();
  private MemoryInfo memoryInfo;
  private JavaHeapInfo javaHeap;
  private SpanSummary spans;
  private java.util.function.Supplier<VirtualThreadSummary> virtualThreads;
  private final Map<String, Long> dropped = new LinkedHashMap<>();
  private CpuInfo cpuInfo;
  private OffCpuInfo offCpuInfo;

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

  public void time(int tid, TimeSummary summary) {
    time.put(tid, summary);
  }

  public void offCpu(int tid, OffCpuSummary summary) {
    offCpu.put(tid, summary);
  }

  public void offCpuInfo(OffCpuInfo info) {
    offCpuInfo = info;
  }

  public OffCpuInfo offCpuInfo() {
    return offCpuInfo;
  }

  /** The processes the JVM started, in the order they started. */
  public void processes(List<ChildProcess> started) {
    processes = List.copyOf(started);
  }

  public List<ChildProcess> processes() {
    return processes;
  }

  /** The per-file I/O table, heaviest first; null when the files probe did not run. */
  public void files(List<FileSummary> rows) {
    files = List.copyOf(rows);
  }

  public List<FileSummary> files() {
    return files;
  }

  /** The connections listed one by one, heaviest first, and the rest summed in {@code info}. */
  public void connections(List<Connection> listed, NetworkInfo info) {
    connections = List.copyOf(listed);
    networkInfo = info;
  }

  /** Null when the network probe did not run. */
  public List<Connection> connections() {
    return connections;
  }

  public NetworkInfo networkInfo() {
    return networkInfo;
  }

  public void network(int tid, ThreadNetwork traffic) {
    network.put(tid, traffic);
  }

  public ThreadNetwork threadNetwork(int tid) {
    return network.get(tid);
  }

  /** A thread's native memory and page faults; either may be null. */
  public void memory(int tid, NativeMemory allocations, PageFaults faults) {
    if (allocations != null) {
      nativeMemory.put(tid, allocations);
    }
    if (faults != null) {
      pageFaults.put(tid, faults);
    }
  }

  public NativeMemory nativeMemory(int tid) {
    return nativeMemory.get(tid);
  }

  public PageFaults pageFaults(int tid) {
    return pageFaults.get(tid);
  }

  public void memoryInfo(MemoryInfo info) {
    memoryInfo = info;
  }

  /** Null when the memory probe did not run. */
  public MemoryInfo memoryInfo() {
    return memoryInfo;
  }

  public void javaHeap(JavaHeapInfo info) {
    javaHeap = info;
  }

  /** Null when the JVM's heap events were not read. */
  public JavaHeapInfo javaHeap() {
    return javaHeap;
  }

  /** Built when asked for: the probes that add to virtual threads' figures contribute in any order. */
  public void virtualThreads(java.util.function.Supplier<VirtualThreadSummary> summary) {
    virtualThreads = summary;
  }

  /** Null when virtual threads were not followed (vthreads=off, no CPU sampler, refused by the JVM). */
  public VirtualThreadSummary virtualThreads() {
    return virtualThreads == null ? null : virtualThreads.get();
  }

  public void spans(SpanSummary summary) {
    spans = summary;
  }

  /** Null when no spans were attributed (not loaded as the OpenTelemetry Java agent's extension). */
  public SpanSummary spans() {
    return spans;
  }

  /** A profile to write beside {@code summary.json} as {@code baseName.collapsed} and the like. */
  public record ProfileFile(String baseName, Profile profile, ProfileKind kind, ProfileSpan span) {}

  public void profile(ProfileFile file) {
    profiles.add(file);
  }

  public List<ProfileFile> profiles() {
    return List.copyOf(profiles);
  }

  /**
   * What the report exports through OTLP in place of the profile of the same base name: the part
   * not exported yet, for a probe that exports periodically (the CPU probe).
   */
  public void unexportedPart(ProfileFile part) {
    unexported.put(part.baseName(), part);
  }

  /** The report's profiles as OTLP exports them: each, or the part of it not exported yet. */
  public List<ProfileFile> profilesToExport() {
    return profiles.stream().map(p -> unexported.getOrDefault(p.baseName(), p)).toList();
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
    tids.addAll(time.keySet());
    tids.addAll(network.keySet());
    tids.addAll(nativeMemory.keySet());
    tids.addAll(pageFaults.keySet());
    List<ThreadSummary> threads = new ArrayList<>();
    for (int tid : tids) {
      ThreadIdentity who = registry.identify(tid);
      threads.add(new ThreadSummary(
          who.tid(), who.name(), who.javaThreadId(), syscalls.getOrDefault(tid, List.of()), cpu.get(tid),
          time.get(tid), offCpu.get(tid), network.get(tid), nativeMemory.get(tid),
          pageFaults.get(tid)));
    }
    return threads;
  }
}
