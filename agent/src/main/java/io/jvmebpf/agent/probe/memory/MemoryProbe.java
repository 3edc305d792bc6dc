package io.jvmebpf.agent.probe.memory;

import static io.jvmebpf.agent.probe.memory.MemoryLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jvmebpf.agent.config.MemoryOptions;
import io.jvmebpf.agent.probe.BpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.stacks.StackLayouts;
import io.jvmebpf.agent.stacks.StackResolver;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JVM's native memory ({@code memory.bpf.c}): its libc allocator's calls and blocks through
 * uprobes, its mmap, munmap and sbrk calls, and the page faults of its threads, all summed in the
 * kernel and read once at the report.
 */
public final class MemoryProbe extends BpfProbe {
  /** Each uprobe program and the libc functions it goes on; the allocators also get the return probe. */
  private record Uprobe(String program, List<String> functions, boolean returns) {}

  private static final List<Uprobe> UPROBES = List.of(
      new Uprobe("malloc_entry", List.of("malloc"), true),
      new Uprobe("calloc_entry", List.of("calloc"), true),
      new Uprobe("realloc_entry", List.of("realloc"), true),
      new Uprobe("posix_memalign_entry", List.of("posix_memalign"), true),
      new Uprobe("aligned_entry", List.of("aligned_alloc", "memalign"), true),
      new Uprobe("free_entry", List.of("free"), false),
      new Uprobe("mmap_entry", List.of("mmap"), false),
      new Uprobe("munmap_entry", List.of("munmap"), false),
      new Uprobe("sbrk_entry", List.of("sbrk"), false));
  private static final String RETURN_PROGRAM = "alloc_exit";
  private static final String FAULT_PROGRAM = "on_fault";
  private static final String EXIT_PROGRAM = "on_exit";

  private final MemoryOptions options;
  private String libc;
  private int pid;
  private ThreadRegistry threads;
  private StackResolver resolver;
  private ProfileSpan.Start clock;

  public MemoryProbe(MemoryOptions options) {
    super("memory");
    this.options = options;
  }

  @Override
  public String name() {
    return "memory";
  }

  /** What it traces: allocator calls with {@code nativemem=on}, page faults with {@code faults=on}. */
  public MemoryOptions options() {
    return options;
  }

  @Override
  public String note() {
    if (!options.nativeOn()) {
      return "page faults; native allocations not traced (nativemem=on traces them, at a trap per allocator call)";
    }
    String allocations = options.sampleBytes() <= 1 ? "every native allocation followed"
        : "native allocations followed 1 per " + options.sampleBytes() + " bytes";
    return allocations + (options.faults() ? ", page faults" : "");
  }

  @Override
  protected long configSize() {
    return CONFIG_BYTES;
  }

  @Override
  protected void configure(MemorySegment rodata, BpfObject object, ProbeContext context) {
    if (!System.getProperty("os.arch").equals("amd64")) {
      // The programs read arguments from x86-64's registers, and page_fault_user is x86's tracepoint.
      throw new IllegalStateException("x86-64 only for now; this JVM runs on " + System.getProperty("os.arch"));
    }
    rodata.set(JAVA_LONG, CONFIG_SAMPLE_BYTES, options.sampleBytes());
    if (options.nativeOn()) {
      object.map("allocations").setMaxEntries(options.maxBlocks());
      libc = Libc.path(); // before load: no C library, no probe
    } else {
      // Hash maps are preallocated: these only native allocations use. Not the stacks: a JVM's
      // start-up alone faults at more than 5,000 distinct stacks.
      for (String map : List.of("allocations", "sites", "pending")) {
        object.map(map).setMaxEntries(1);
      }
    }
    pid = (int) ProcessHandle.current().pid();
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("threads"), 4, THREAD_BYTES);
    requireSize(object.map("pending"), 4, PENDING_BYTES);
    requireSize(object.map("allocations"), 8, ALLOCATION_BYTES);
    requireSize(object.map("sites"), SITE_KEY_BYTES, SITE_BYTES_SIZE);
    requireSize(object.map("fault_sites"), SITE_KEY_BYTES, 8);
    requireSize(object.map("stacks"), 8, StackLayouts.STACK_BYTES);
    requireSize(object.map("counters"), 4, 8);
  }

  @Override
  protected void attach(BpfObject object, ProbeContext context) {
    attachSome(object, program -> true);
  }

  /**
   * free stays: a block freed in a pause would otherwise stay outstanding, or be taken for a
   * later block at its address; on_exit records a thread's end.
   */
  @Override
  protected boolean keptWhilePaused(String program) {
    return program.equals("free_entry") || program.equals(EXIT_PROGRAM);
  }

  /**
   * A call under way at the pause returned unseen: its pending entry would make the thread's next
   * calls look nested in it, uncounted.
   */
  @Override
  protected void resuming(BpfObject object) {
    object.map("pending").clear();
  }

  /**
   * The entry probes first, then the return probes: the reverse of {@link #attachSome}, so that a
   * call of the detaching thread never enters unseen and returns seen, or the reverse.
   */
  @Override
  protected void detach(BpfObject object) {
    object.detach(program -> !keptWhilePaused(program) && !program.equals(RETURN_PROGRAM));
    object.detach(program -> program.equals(RETURN_PROGRAM));
  }

  @Override
  protected void reattach(BpfObject object) {
    attachSome(object, program -> !keptWhilePaused(program));
  }

  /**
   * Attaches the programs {@code which} accepts of those the options turn on, all or none:
   * uprobes by libc function name in this process only, tracepoints by their section. The return
   * probes first: a call whose entry was seen before its return probe was there would leave its
   * thread a pending entry that no return ends, and every later call of the thread would look
   * nested in it (attaching itself mallocs, on this thread).
   */
  private void attachSome(BpfObject object, Predicate<String> which) {
    try {
      if (options.nativeOn()) {
        for (Uprobe uprobe : UPROBES) {
          if (uprobe.returns() && which.test(uprobe.program()) && which.test(RETURN_PROGRAM)) {
            for (String function : uprobe.functions()) {
              object.program(RETURN_PROGRAM).attachUprobe(true, pid, libc, function);
            }
          }
        }
        for (Uprobe uprobe : UPROBES) {
          if (which.test(uprobe.program())) {
            for (String function : uprobe.functions()) {
              object.program(uprobe.program()).attachUprobe(false, pid, libc, function);
            }
          }
        }
      }
      object.attach(program -> (program.equals(EXIT_PROGRAM) || options.faults() && program.equals(FAULT_PROGRAM))
          && which.test(program));
    } catch (RuntimeException e) {
      object.detach(which);
      throw e;
    }
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    threads = context.threads();
    clock = ProfileSpan.Start.now();
    resolver = new StackResolver(new BpfMap[] {object.map("stacks")}, context.symbols());
  }

  /**
   * Every thread's counts so far, read from the kernel's map now (not the followed blocks: summing
   * them is the report's work). Empty when the probe is not running.
   */
  public Map<Integer, ThreadCounts> perThread() {
    BpfObject object = object();
    Map<Integer, ThreadCounts> byThread = new HashMap<>();
    if (object != null) {
      object.map("threads").forEach((key, value) -> byThread.put(key.get(JAVA_INT, 0), ThreadCounts.of(value)));
    }
    return byThread;
  }

  /**
   * The bytes of allocations not freed yet, by the thread that made them: the followed blocks,
   * each weighing the bytes it stands for (exact with {@code nativemem.sample=0}), read now with
   * lookups only. Empty when the probe is not running or {@code nativemem=off}.
   */
  public Map<Integer, Long> outstandingPerThread() {
    BpfObject object = object();
    Map<Integer, Long> byThread = new HashMap<>();
    if (object != null && options.nativeOn()) {
      object.map("allocations").forEach((key, value) -> byThread.merge(
          value.get(JAVA_INT, ALLOCATION_TID), value.get(JAVA_LONG, ALLOCATION_WEIGHT), Long::sum));
    }
    return byThread;
  }

  @Override
  public void contribute(ReportBuilder report) {
    BpfObject object = object();
    if (object == null) {
      return;
    }
    new MemoryReport(object, options, threads, resolver, clock).addTo(report, perThread());
    BpfMap counters = object.map("counters");
    report.dropped("memory.threadsMapFull", counters.counter(THREADS_FULL));
    report.dropped("memory.pendingMapFull", counters.counter(PENDING_FULL));
    report.dropped("memory.allocationsMapFull", counters.counter(ALLOCATIONS_FULL));
    report.dropped("memory.sitesMapFull", counters.counter(SITES_FULL));
    report.dropped("memory.userStacksLost", counters.counter(STACKS_LOST));
    report.dropped("memory.faultSitesMapFull", counters.counter(FAULT_SITES_FULL));
  }

  @Override
  protected void stopping() {
    if (resolver != null) {
      resolver.close();
      resolver = null;
    }
  }
}
