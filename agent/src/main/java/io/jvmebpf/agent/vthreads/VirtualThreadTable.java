package io.jvmebpf.agent.vthreads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.jvmebpf.jfr.JavaVirtualBlock;
import java.util.function.IntFunction;

/**
 * Virtual threads' figures summed per name pattern as they arrive: how many ran (named at their
 * first mount), CPU samples by carrier, blocks by reason, syscalls by name.
 * One per session, shared by the probes and JFR's stream. Bounded at {@value #MAX_PATTERNS}
 * patterns; figures of further patterns go to {@value #OTHER}.
 */
public final class VirtualThreadTable {
  public static final int MAX_PATTERNS = 256;
  static final String OTHER = "[other]";
  /** Samples of a virtual thread whose name never arrived (it was dropped or forgotten). */
  static final String UNKNOWN = "[unknown]";
  private static final int MAX_CARRIERS = 8;
  private static final int MAX_SYSCALLS = 10;

  private static final class Usage {
    long threads;
    long samples;
    long blocks;
    final Map<Integer, long[]> carriers = new HashMap<>();
    final Map<String, long[]> offCpuNs = new TreeMap<>();
    final Map<String, long[]> syscalls = new HashMap<>(); // name -> count, errors, total ns, max ns
  }

  private final VirtualThreadNames names = new VirtualThreadNames();
  private final Map<String, Usage> byPattern = new HashMap<>();

  /** A virtual thread's name, sent at its first mount: one more thread of its pattern. */
  public synchronized void named(long id, String name) {
    if (names.put(id, name)) {
      usage(NamePattern.of(name)).threads++;
    }
  }

  /** The name of a virtual thread, for the profile: null when unknown. */
  public synchronized String name(long id) {
    return names.name(id);
  }

  /** Samples taken on {@code carrier} while virtual thread {@code id} was mounted. */
  public synchronized void cpu(long id, int carrier, long samples) {
    Usage usage = usage(pattern(id));
    usage.samples += samples;
    usage.carriers.computeIfAbsent(carrier, c -> new long[1])[0] += samples;
  }

  /** A virtual thread's block as JFR recorded it, by the JVM's reason. */
  public void block(JavaVirtualBlock block) {
    String reason = switch (block.event()) {
      case "jdk.ThreadSleep" -> "sleep";
      case "jdk.ThreadPark" -> "park";
      case "jdk.JavaMonitorEnter" -> "monitor";
      case "jdk.JavaMonitorWait" -> "wait";
      default -> block.event();
    };
    block(block.javaThreadId(), block.name(), reason, block.durationNanos());
  }

  /** Syscalls virtual thread {@code id} made (on whichever carrier), as the kernel summed them. */
  public synchronized void syscalls(long id, String syscall, long count, long errors, long totalNs, long maxNs) {
    long[] s = usage(pattern(id)).syscalls.computeIfAbsent(syscall, n -> new long[4]);
    s[0] += count;
    s[1] += errors;
    s[2] += totalNs;
    s[3] = Math.max(s[3], maxNs);
  }

  /** A block of virtual thread {@code id} (its name from the JVM's record, if it has one). */
  public synchronized void block(long id, String name, String reason, long ns) {
    Usage usage = usage(name != null ? NamePattern.of(name) : pattern(id));
    usage.blocks++;
    usage.offCpuNs.computeIfAbsent(reason, r -> new long[1])[0] += ns;
  }

  private String pattern(long id) {
    String name = names.name(id);
    return name == null ? UNKNOWN : NamePattern.of(name);
  }

  private Usage usage(String pattern) {
    Usage usage = byPattern.get(pattern);
    if (usage == null) {
      if (byPattern.size() >= MAX_PATTERNS && !OTHER.equals(pattern)) {
        return usage(OTHER);
      }
      usage = new Usage();
      byPattern.put(pattern, usage);
    }
    return usage;
  }

  public synchronized long namesForgotten() {
    return names.forgotten();
  }

  /** Patterns by CPU samples, then off-CPU time, then name. */
  public synchronized VirtualThreadSummary summary(long mounts, long unmounts, long sampleWeightNs,
      IntFunction<String> carrierName) {
    List<VirtualThreadSummary.Pattern> patterns = new ArrayList<>();
    long threads = 0;
    for (Map.Entry<String, Usage> entry : byPattern.entrySet()) {
      Usage u = entry.getValue();
      threads += u.threads;
      Map<String, Long> offCpu = new TreeMap<>();
      u.offCpuNs.forEach((reason, ns) -> offCpu.put(reason, ns[0]));
      List<VirtualThreadSummary.Carrier> carriers = u.carriers.entrySet().stream()
          .sorted(Comparator.comparingLong((Map.Entry<Integer, long[]> c) -> c.getValue()[0]).reversed()
              .thenComparing(Map.Entry::getKey))
          .limit(MAX_CARRIERS)
          .map(c -> new VirtualThreadSummary.Carrier(c.getKey(), carrierName.apply(c.getKey()), c.getValue()[0]))
          .toList();
      List<VirtualThreadSummary.Syscall> syscalls = u.syscalls.entrySet().stream()
          .sorted(Comparator.comparingLong((Map.Entry<String, long[]> c) -> c.getValue()[0]).reversed()
              .thenComparing(Map.Entry::getKey))
          .limit(MAX_SYSCALLS)
          .map(c -> new VirtualThreadSummary.Syscall(c.getKey(), c.getValue()[0], c.getValue()[1], c.getValue()[2],
              c.getValue()[3]))
          .toList();
      patterns.add(new VirtualThreadSummary.Pattern(entry.getKey(), u.threads, u.samples,
          u.samples * sampleWeightNs, offCpu, u.blocks, carriers, syscalls));
    }
    patterns.sort(Comparator.comparingLong(VirtualThreadSummary.Pattern::cpuSamples).reversed()
        .thenComparing(Comparator.comparingLong(
            (VirtualThreadSummary.Pattern p) -> p.offCpuNs().values().stream().mapToLong(Long::longValue).sum())
            .reversed())
        .thenComparing(VirtualThreadSummary.Pattern::name));
    long samples = patterns.stream().mapToLong(VirtualThreadSummary.Pattern::cpuSamples).sum();
    long offCpuNs = patterns.stream().flatMap(p -> p.offCpuNs().values().stream()).mapToLong(Long::longValue).sum();
    return new VirtualThreadSummary(mounts, unmounts, threads, samples, samples * sampleWeightNs, offCpuNs, patterns);
  }
}
