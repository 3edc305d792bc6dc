package io.jvmebpf.agent.probe.cpu;

import io.jvmebpf.agent.otel.SpanLink;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.CpuSummary;
import io.jvmebpf.agent.stacks.JavaSampleIndex;
import io.jvmebpf.agent.stacks.ResolvedStack;
import io.jvmebpf.agent.stacks.StackLayouts;
import io.jvmebpf.agent.stacks.StackResolver;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.agent.vthreads.VirtualThreadTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile so far, epoch by epoch: each kernel count of a drained epoch is split between the
 * JVM stacks its sample events were joined with, in proportion, so totals stay the kernel's even
 * when events were lost; a user stack whose Java part the walk could not name takes its Java frames
 * from the joined JVM stack and keeps its own native leaf and kernel frames. Where profiles are
 * exported, the counts since the last export are kept too, with the events' span links splitting
 * each stack's samples the same way (at most {@value #MAX_LINKED_PARTS} (stack, span) pairs a
 * period); the whole run's profile, for the files, has no links. Bounded at
 * {@value #MAX_STACKS} distinct (thread, stack) entries; past that, samples of new stacks count
 * under one {@code [more stacks]} frame of their thread.
 *
 * <p>A sample taken on a carrier while a virtual thread was mounted is the virtual thread's: its
 * stacks go under the virtual thread (named with its carrier) in the profile, and into {@link
 * VirtualThreadTable}; the carrier's own summary keeps counting it, as {@code virtualThreadSamples}
 * too, since the kernel's thread is the one that ran.
 */
final class ProfileAssembler {
  static final int MAX_STACKS = 65_536;
  /**
   * (stack, span) pairs a period keeps: every sample of a busy server's stack may be in a span of
   * its own.
   */
  static final int MAX_LINKED_PARTS = 65_536;
  private static final int TOP_FRAMES = 10;
  private static final List<Frame> MORE_STACKS = List.of(new Frame("[more stacks]", FrameKind.UNKNOWN));

  private final StackResolver resolver;
  private final JavaSampleIndex javaSamples;
  private final VirtualThreadTable vthreads;
  private final Map<ThreadKey, Map<StackKey, Counts>> stacksByThread = new TreeMap<>();
  /**
   * The same counts since the last {@link #takePeriod}: what an export of the period sends. Null
   * when nothing exports periods (no OTLP endpoint): it would double the profile's memory.
   */
  private Map<ThreadKey, Map<StackKey, Counts>> period;
  private final Map<Integer, long[]> kernelSamplesByThread = new HashMap<>();
  private final SpanLinkIds links;
  private int stacks;
  private long overflow;
  private int linkedParts; // (stack, span) pairs of the period
  private long linksOverflow;

  /** @param periods whether {@link #takePeriod} will be called: profiles are exported */
  ProfileAssembler(StackResolver resolver, JavaSampleIndex javaSamples, VirtualThreadTable vthreads, SpanLinkIds links,
      boolean periods) {
    this.resolver = resolver;
    this.javaSamples = javaSamples;
    this.vthreads = vthreads;
    this.links = links;
    this.period = periods ? new TreeMap<>() : null;
  }

  /** A thread of the profile: a kernel thread, or a virtual thread (id not 0) on that carrier. */
  private record ThreadKey(int tid, long vthread) implements Comparable<ThreadKey> {
    @Override
    public int compareTo(ThreadKey o) {
      return tid != o.tid ? Integer.compare(tid, o.tid) : Long.compare(vthread, o.vthread);
    }
  }

  record Result(Profile profile, Map<Integer, CpuSummary> perThread, long samples, long javaSamples,
      long joinedSamples) {}

  private record StackKey(List<Frame> frames, boolean joined) {}

  /** A stack's samples, and (in a period) those of them taken in each span. */
  private static final class Counts {
    long total;
    Map<SpanLink, Long> byLink; // null until a sample of the stack is in a span

    void add(long n) {
      total += n;
    }

    void add(long n, SpanLink link) {
      total += n;
      if (link != null) {
        if (byLink == null) {
          byLink = new HashMap<>(4);
        }
        byLink.merge(link, n, Long::sum);
      }
    }

    boolean linksTo(SpanLink link) {
      return byLink != null && byLink.containsKey(link);
    }
  }

  /** Adds one epoch's kernel counts (keys without a Java stack), split as {@code joined} says. */
  void add(Map<SampleKey, Long> kernelCounts, JoinedCounts joined) {
    for (Map.Entry<SampleKey, Long> entry : kernelCounts.entrySet()) {
      SampleKey key = entry.getKey();
      if (key.vthread() != 0) {
        vthreads.cpu(key.vthread(), key.tid(), entry.getValue());
      }
      ThreadKey thread = new ThreadKey(key.tid(), key.vthread());
      if (key.kernelStack() != StackLayouts.NO_STACK) {
        kernelSamplesByThread.computeIfAbsent(key.tid(), t -> new long[1])[0] += entry.getValue();
      }
      Map<Long, Long> parts = apportion(entry.getValue(), joined.split(key),
          SampleKey.joinedWith(SampleKey.NO_JAVA_STACK, SpanLinkIds.NONE));
      for (Map.Entry<Long, Long> part : parts.entrySet()) {
        Map<StackKey, Counts> threadStacks =
            stacksByThread.computeIfAbsent(thread, t -> new LinkedHashMap<>());
        StackKey stack = frames(key, SampleKey.javaStackOf(part.getKey()));
        Counts n = threadStacks.get(stack);
        if (n == null) {
          if (stacks >= MAX_STACKS) {
            overflow += part.getValue();
            stack = new StackKey(MORE_STACKS, false);
          } else {
            stacks++;
          }
          n = threadStacks.computeIfAbsent(stack, s -> new Counts());
        }
        n.add(part.getValue());
        if (period != null) {
          Counts p = period.computeIfAbsent(thread, t -> new LinkedHashMap<>())
              .computeIfAbsent(stack, s -> new Counts());
          SpanLink link = links.link(key.epoch(), SampleKey.linkOf(part.getKey()));
          if (link != null && !p.linksTo(link)) {
            if (linkedParts < MAX_LINKED_PARTS) {
              linkedParts++;
            } else {
              linksOverflow += part.getValue();
              link = null;
            }
          }
          p.add(part.getValue(), link);
        }
      }
    }
  }

  /** Samples counted under {@code [more stacks]}. */
  long overflow() {
    return overflow;
  }

  /** Samples whose span link was not kept: too many (stack, span) pairs, or too many spans. */
  long linksDropped() {
    return linksOverflow + links.dropped();
  }

  Result result(String event, long weightNs, ThreadRegistry threads) {
    List<StackSample> samples = new ArrayList<>();
    Map<Integer, CpuSummary> perThread = new TreeMap<>();
    long total = 0, java = 0, joinedTotal = 0;
    Map<Integer, long[]> figures = new HashMap<>(); // per kernel thread: total, java, joined, virtual
    Map<Integer, Map<Frame, long[]>> hottestByTid = new HashMap<>();
    for (Map.Entry<ThreadKey, Map<StackKey, Counts>> thread : stacksByThread.entrySet()) {
      int tid = thread.getKey().tid();
      long vthread = thread.getKey().vthread();
      String name = name(thread.getKey(), threads);
      long threadTotal = 0, threadJava = 0, threadJoined = 0;
      Map<Frame, long[]> hottest = hottestByTid.computeIfAbsent(tid, t -> new HashMap<>());
      for (Map.Entry<StackKey, Counts> stack : thread.getValue().entrySet()) {
        long n = stack.getValue().total;
        if (n == 0) {
          continue;
        }
        StackKey key = stack.getKey();
        addSamples(tid, name, key, stack.getValue(), samples);
        threadTotal += n;
        threadJoined += key.joined() ? n : 0;
        Frame top = StackResolver.innermostJava(key.frames());
        if (top != null) {
          threadJava += n;
        } else if (!key.frames().isEmpty()) {
          top = key.frames().getLast();
        }
        if (top != null) {
          hottest.computeIfAbsent(top, f -> new long[1])[0] += n;
        }
      }
      long[] f = figures.computeIfAbsent(tid, t -> new long[4]);
      f[0] += threadTotal;
      f[1] += threadJava;
      f[2] += threadJoined;
      f[3] += vthread != 0 ? threadTotal : 0;
      total += threadTotal;
      java += threadJava;
      joinedTotal += threadJoined;
    }
    figures.forEach((tid, f) -> perThread.put(tid, new CpuSummary(f[0],
        kernelSamplesByThread.getOrDefault(tid, new long[1])[0], f[1], f[2], top(hottestByTid.get(tid)), f[3])));
    return new Result(new Profile(event, weightNs, samples), perThread, total, java, joinedTotal);
  }

  /** A kernel thread's name, or "burner-17 (virtual #123 on ForkJoinPool-1-worker-1)". */
  private String name(ThreadKey thread, ThreadRegistry threads) {
    String carrier = threads.identify(thread.tid()).name();
    if (thread.vthread() == 0) {
      return carrier;
    }
    String name = vthreads.name(thread.vthread());
    return (name == null || name.isEmpty() ? "virtual" : name) + " (virtual #" + thread.vthread() + " on " + carrier + ")";
  }

  /**
   * The samples added since the last call (the whole profile at the first), and forgets them: a
   * period's profile for export, beside the whole run's that {@link #result} gives.
   */
  Profile takePeriod(String event, long weightNs, ThreadRegistry threads) {
    if (period == null) {
      throw new IllegalStateException("made without periods");
    }
    List<StackSample> samples = new ArrayList<>();
    period.forEach((thread, stacks) -> {
      String name = name(thread, threads);
      stacks.forEach((key, counts) -> addSamples(thread.tid(), name, key, counts, samples));
    });
    period = new TreeMap<>();
    linkedParts = 0;
    return new Profile(event, weightNs, samples);
  }

  /** One stack's entries: one per span its samples were in, one for those in none. */
  private void addSamples(int tid, String name, StackKey key, Counts counts, List<StackSample> samples) {
    long unlinked = counts.total;
    if (counts.byLink != null) {
      for (Map.Entry<SpanLink, Long> linked : counts.byLink.entrySet()) {
        samples.add(new StackSample(tid, name, key.frames(), linked.getValue(), key.joined(), linked.getKey()));
        unlinked -= linked.getValue();
      }
    }
    if (unlinked > 0) {
      samples.add(new StackSample(tid, name, key.frames(), unlinked, key.joined()));
    }
  }

  private StackKey frames(SampleKey key, int javaStack) {
    ResolvedStack user = resolver.user(key.epoch(), key.userStack());
    List<Frame> java = javaStack >= 0 ? javaSamples.stack(javaStack) : null;
    return new StackKey(user.with(java, resolver.kernel(key.epoch(), key.kernelStack())), user.takesJava(java));
  }

  /**
   * The hottest frames by method name: a method run both interpreted and compiled is one entry,
   * of the kind most of its samples had.
   */
  private static List<CpuSummary.TopFrame> top(Map<Frame, long[]> hottest) {
    Map<String, long[]> byName = new HashMap<>();
    Map<String, Frame> commonestKind = new HashMap<>();
    hottest.forEach((frame, n) -> {
      byName.computeIfAbsent(frame.name(), k -> new long[1])[0] += n[0];
      commonestKind.merge(frame.name(), frame, (a, b) -> hottest.get(a)[0] >= hottest.get(b)[0] ? a : b);
    });
    return byName.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(TOP_FRAMES)
        .map(e -> new CpuSummary.TopFrame(
            e.getKey(), commonestKind.get(e.getKey()).kind().name().toLowerCase(), e.getValue()[0]))
        .toList();
  }

  /**
   * Splits {@code total} in proportion to {@code weights} (largest remainders), so the parts add
   * up to the total exactly; all of it to "no Java stack" when there are no weights.
   */
  static Map<Integer, Long> apportion(long total, Map<Integer, Long> weights) {
    return apportion(total, weights, SampleKey.NO_JAVA_STACK);
  }

  /** As above, with {@code none} the key of a total that has no weights. */
  static <K extends Comparable<K>> Map<K, Long> apportion(long total, Map<K, Long> weights, K none) {
    long sum = 0;
    for (long w : weights.values()) {
      sum += w;
    }
    Map<K, Long> parts = new TreeMap<>();
    if (sum == 0) {
      parts.put(none, total);
      return parts;
    }
    long given = 0;
    List<Map.Entry<K, Double>> remainders = new ArrayList<>();
    for (Map.Entry<K, Long> w : weights.entrySet()) {
      double exact = (double) total * w.getValue() / sum;
      long floor = (long) Math.floor(exact);
      parts.put(w.getKey(), floor);
      given += floor;
      remainders.add(Map.entry(w.getKey(), exact - floor));
    }
    remainders.sort(Map.Entry.<K, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    for (int i = 0; given < total; i++, given++) {
      parts.merge(remainders.get(i % remainders.size()).getKey(), 1L, Long::sum);
    }
    return parts;
  }
}
