package io.jvmebpf.agent.jit;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.TreeMap;

/**
 * Names the instruction pointers of this JVM's generated code: JIT-compiled Java methods, with the
 * methods the JIT inlined into them, and the interpreter and stubs. Fed by the JVMTI helper ({@code
 * agent/src/main/c}); the CPU profiler calls {@link #drain} from its poll thread and before it
 * names stacks at report time, and {@link #resolve} for each address.
 *
 * <p>Threads: one writer at a time ({@link #drain} and {@link #close} are synchronized) and any
 * number of readers, lock-free: they see each compiled method whole or not at all (immutable
 * entries in a concurrent skip list) and the stubs as one immutable table, swapped in whole.
 */
public final class JitCodeMap implements AutoCloseable {
  /** Four records' worth per call; a drain is a loop of such calls. */
  private static final long BUFFER_BYTES = 4L * JvmtiRecords.MAX_RECORD;

  /** Bounds one drain while the JIT keeps compiling: more than the helper's whole log. */
  private static final int MAX_ROUNDS = 32;

  private final JvmtiHelper helper;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
  private final JvmtiRecords records = new JvmtiRecords();
  private final CodeRanges compiled = new CodeRanges();

  /** The writer's copy of the blobs, by start address; readers use {@link #stubs}. */
  private final TreeMap<Long, CodeBlob> blobs = new TreeMap<>();

  private final Writer writer = new Writer();
  private volatile StubTable stubs = StubTable.EMPTY;
  private boolean blobsChanged;

  /** Written by the one writer, read by any thread. */
  private volatile long unloads;

  private boolean closed;

  private JitCodeMap(JvmtiHelper helper) {
    this.helper = helper;
  }

  /**
   * Loads the JVMTI helper (once per process), starts it, and reads the code that exists already.
   * Works at premain and in a JVM the agent was attached to.
   *
   * @throws JvmtiException when the helper cannot be loaded or JVMTI refuses it, saying why
   * @throws IllegalStateException when another code map is open
   */
  public static JitCodeMap start() {
    JvmtiHelper helper = JvmtiHelper.load();
    helper.start();
    JitCodeMap map = new JitCodeMap(helper);
    try {
      map.drain();
    } catch (RuntimeException e) {
      map.close();
      throw e;
    }
    return map;
  }

  /**
   * Applies what the JIT did since the last call: compiled, freed, generated code. Cheap when
   * nothing happened (one native call); allocates only for new code.
   *
   * @return the records applied
   */
  public synchronized int drain() {
    if (closed) {
      return 0;
    }
    int applied = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      long bytes = helper.drain(buffer);
      if (bytes == 0) {
        break;
      }
      applied += records.read(buffer, bytes, writer);
    }
    if (blobsChanged) {
      stubs = StubTable.of(blobs.values());
      blobsChanged = false;
    }
    return applied;
  }

  /**
   * The Java frames at {@code pc}, root first: for JIT-compiled code the compiled method ({@link
   * FrameKind#JIT}) then the methods inlined into it at that pc ({@link FrameKind#INLINED}), the
   * innermost last. For the interpreter and stubs, one {@link FrameKind#NATIVE} frame named after
   * the blob ({@code Interpreter}, {@code StubRoutines (1)}, {@code jint_arraycopy}; see {@link
   * #isInterpreter}, since the interpreter runs every interpreted method and an address cannot say
   * which). Empty when {@code pc} is in no code the map knows.
   */
  public List<Frame> resolve(long pc) {
    CompiledCode code = compiled.find(pc);
    if (code != null) {
      return code.frames(pc);
    }
    return stubs.frames(pc);
  }

  /** Whether {@code pc} is in the template interpreter: the frame runs an interpreted method. */
  public boolean isInterpreter(long pc) {
    return stubs.isInterpreter(pc);
  }

  /** The interpreter and stub blobs known now, by start address. */
  public List<CodeBlob> codeBlobs() {
    return stubs.blobs();
  }

  public JitStats stats() {
    long[] helperStats = helper.stats();
    return new JitStats(
        compiled.size(),
        stubs.size(),
        unloads,
        helperStats[JvmtiRecords.STAT_LOGGED],
        helperStats[JvmtiRecords.STAT_DROPPED],
        helperStats[JvmtiRecords.STAT_INLINING_DROPPED],
        helperStats[JvmtiRecords.STAT_NAME_ERRORS],
        helperStats[JvmtiRecords.STAT_PENDING_BYTES]);
  }

  /**
   * Stops the JVMTI events and frees the helper's log; the map keeps what it knows, so stacks can
   * still be named after it. Harmless when closed already.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      helper.stop();
    } finally {
      arena.close();
    }
  }

  /** Applies records; runs under the map's lock (in {@link #drain}). */
  private final class Writer implements JvmtiRecords.Sink {
    @Override
    public void load(CompiledCode code) {
      compiled.add(code);
    }

    @Override
    public void unload(long start) {
      compiled.remove(start);
      unloads++;
    }

    @Override
    public void dynamicCode(CodeBlob blob) {
      blobs.put(blob.start(), blob);
      blobsChanged = true;
    }
  }
}
