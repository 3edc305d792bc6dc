package io.jvmebpf.agent.memory;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import io.jvmebpf.agent.report.JavaHeapInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.stacks.JavaStackTable;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.jfr.JavaMemoryEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JVM's own account of its heap, from the events JFR hands over: allocation samples summed per
 * (thread, stack, class), the heap before and after each collection, NMT's latest totals. Bounded
 * whatever the run's length; what does not fit is counted.
 */
public final class JavaHeapRecorder implements Consumer<JavaMemoryEvent> {
  static final int MAX_SITES = 16_384;
  static final int MAX_CLASSES = 4_096;
  static final int MAX_GCS = 1_000;
  private static final int TOP_CLASSES = 10;

  private record Site(long tid, int stack, String className) {}

  private final JavaStackTable stacks = new JavaStackTable();
  private final Map<Site, long[]> sites = new HashMap<>(); // bytes
  private final Map<String, long[]> classes = new HashMap<>();
  private final Map<Long, JavaMemoryEvent.GcHeap> before = new HashMap<>();
  private final ArrayDeque<JavaHeapInfo.Gc> gcs = new ArrayDeque<>();
  private final Map<String, JavaHeapInfo.Nmt> nmt = new HashMap<>();
  private final ProfileSpan.Start start = ProfileSpan.Start.now();
  private long samples;
  private long bytes;
  private long collections;
  private long sitesDropped;

  @Override
  public synchronized void accept(JavaMemoryEvent event) {
    switch (event) {
      case JavaMemoryEvent.Allocation allocation -> allocated(allocation);
      case JavaMemoryEvent.GcHeap heap -> collected(heap);
      case JavaMemoryEvent.NativeMemoryUsage usage ->
          nmt.put(usage.category(), new JavaHeapInfo.Nmt(usage.reservedBytes(), usage.committedBytes()));
    }
  }

  private void allocated(JavaMemoryEvent.Allocation allocation) {
    samples++;
    bytes += allocation.weightBytes();
    long[] perClass = classes.get(allocation.className());
    if (perClass == null && classes.size() < MAX_CLASSES) {
      perClass = new long[1];
      classes.put(allocation.className(), perClass);
    }
    if (perClass != null) {
      perClass[0] += allocation.weightBytes();
    }
    if (allocation.tid() <= 0) {
      return; // in the totals; a profile's stacks hang from a thread
    }
    int stack = stacks.intern(allocation.stack());
    Site site = new Site(allocation.tid(), stack, allocation.className());
    long[] sum = stack < 0 ? null : sites.get(site);
    if (sum == null && stack >= 0 && sites.size() < MAX_SITES) {
      sum = new long[1];
      sites.put(site, sum);
    }
    if (sum == null) {
      sitesDropped++;
    } else {
      sum[0] += allocation.weightBytes();
    }
  }

  private void collected(JavaMemoryEvent.GcHeap heap) {
    if (heap.before()) {
      before.put(heap.gcId(), heap);
      return;
    }
    JavaMemoryEvent.GcHeap started = before.remove(heap.gcId());
    if (started == null) {
      return; // began before the recording did
    }
    collections++;
    if (gcs.size() == MAX_GCS) {
      gcs.removeFirst();
    }
    gcs.addLast(new JavaHeapInfo.Gc(heap.gcId(), started.at(), started.heapUsedBytes(), heap.heapUsedBytes()));
  }

  /** The heap's figures and the {@code alloc} profile, once JFR delivered its last events. */
  public synchronized void contribute(ReportBuilder report, ThreadRegistry threads) {
    List<JavaHeapInfo.ClassBytes> top = classes.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed())
        .limit(TOP_CLASSES)
        .map(e -> new JavaHeapInfo.ClassBytes(e.getKey(), e.getValue()[0]))
        .toList();
    report.javaHeap(new JavaHeapInfo(samples, bytes, top, collections, new ArrayList<>(gcs), nmt));
    List<StackSample> profile = new ArrayList<>(sites.size());
    for (Map.Entry<Site, long[]> site : sites.entrySet()) {
      List<Frame> frames = new ArrayList<>(stacks.stack(site.getKey().stack()));
      frames.add(new Frame(site.getKey().className(), FrameKind.ALLOCATED_CLASS));
      int tid = (int) site.getKey().tid();
      profile.add(new StackSample(tid, threads.identify(tid).name(), frames, site.getValue()[0], true));
    }
    report.profile(new ReportBuilder.ProfileFile("alloc", new Profile("alloc", 0, profile), ProfileKind.JAVA_ALLOC,
        start.until(System.nanoTime())));
    report.dropped("memory.javaAllocationSitesDropped", sitesDropped);
  }
}
