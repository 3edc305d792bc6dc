package io.jvmebpf.agent.probe;

import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.BpfProgram;
import io.jvmebpf.bpf.BpfException;
import java.lang.foreign.MemorySegment;

/**
 * The lifecycle every BPF-backed probe shares: open its bundled object, write its configuration
 * struct (the object's only read-only global) and map sizes, load, check the maps against the
 * Java mirrors of their structs, attach every program. Subclasses say only what differs.
 */
public abstract class BpfProbe implements Probe {
  private final String objectName;
  private BpfObject object;

  /** @param objectName the {@code NAME} of {@code bpf/src/main/bpf/NAME.bpf.c} */
  protected BpfProbe(String objectName) {
    this.objectName = objectName;
  }

  @Override
  public final void start(ProbeContext context) {
    BpfObject opened = BpfObject.openBundled(objectName);
    try {
      MemorySegment rodata = opened.readOnlyData();
      if (rodata.byteSize() != configSize()) {
        throw new BpfException(0, objectName + ".bpf.o has " + rodata.byteSize() + " bytes of"
            + " configuration but the agent writes " + configSize() + ": the BPF object and its Java"
            + " mirror disagree (rebuild with bpf/build-bpf.sh)");
      }
      // Every program's configuration starts with the scope (scope.h): written here, once.
      context.scope().writeTo(rodata);
      configure(rodata, opened, context);
      opened.load();
      checkLayouts(opened);
      attach(opened, context);
      object = opened;
      started(opened, context);
    } catch (RuntimeException e) {
      object = null;
      try {
        stopping();
      } finally {
        opened.close();
      }
      throw e;
    }
  }

  /** The size of the program's configuration struct, its only read-only global. */
  protected abstract long configSize();

  /**
   * Writes the rest of the configuration struct into {@code rodata} (the scope at its start is
   * written already) and sizes maps, before load.
   */
  protected void configure(MemorySegment rodata, BpfObject object, ProbeContext context) {}

  /** Checks the loaded maps' key and value sizes against their Java mirrors. */
  protected abstract void checkLayouts(BpfObject object);

  /** Attaches the loaded programs; by default each by its section name. */
  protected void attach(BpfObject object, ProbeContext context) {
    object.attachAll();
  }

  /**
   * Detaches the programs that take data, keeping those {@link #keptWhilePaused} names; maps,
   * rings and pollers stay.
   */
  @Override
  public final void pause() {
    BpfObject loaded = object;
    if (loaded != null) {
      detach(loaded);
    }
  }

  /**
   * Forgets what the pause made stale, then attaches again what {@link #pause()} detached: all of
   * it or, thrown, none (the probe stays paused).
   */
  @Override
  public final void resume() {
    BpfObject loaded = object;
    if (loaded != null) {
      resuming(loaded);
      reattach(loaded);
    }
  }

  /**
   * Whether {@code program} stays attached during a pause because it records that something
   * ended (a close, a socket's free, a thread's or a process's exit): detached, the end would go
   * unseen and the maps would keep an entry for what no longer exists, which what comes after the
   * pause (a reused address, fd or tid) would then be summed into. By default none.
   */
  protected boolean keptWhilePaused(String program) {
    return false;
  }

  /** Detaches for a pause: every program not {@link #keptWhilePaused kept}. */
  protected void detach(BpfObject object) {
    object.detach(program -> !keptWhilePaused(program));
  }

  /** Attaches again after a pause what {@link #detach} detached, all or none. */
  protected void reattach(BpfObject object) {
    object.attach(program -> !keptWhilePaused(program));
  }

  /**
   * Before attaching again after a pause, the programs detached: forgets what the kernel kept of
   * calls under way or things that ended unseen during the pause, so that nothing is measured
   * across it.
   */
  protected void resuming(BpfObject object) {}

  /** Runs once everything is attached: open ring buffers, start pollers. */
  protected void started(BpfObject object, ProbeContext context) {}

  /** Runs before the object is closed: stop pollers, drain ring buffers. */
  protected void stopping() {}

  /** The loaded object, or null when the probe is not running. */
  protected final BpfObject object() {
    return object;
  }

  protected static void requireSize(BpfMap map, long keySize, long valueSize) {
    if (map.keySize() != keySize || map.valueSize() != valueSize) {
      throw new BpfException(
          0,
          "map " + map.name() + " has " + map.keySize() + "-byte keys and " + map.valueSize()
              + "-byte values but the agent expects " + keySize + " and " + valueSize
              + ": the BPF object and its Java mirror disagree (rebuild with bpf/build-bpf.sh)");
    }
  }

  @Override
  public BpfUsage usage() {
    if (object == null) {
      return BpfUsage.NONE;
    }
    long mapBytes = 0;
    for (BpfMap map : object.maps()) {
      mapBytes += Math.max(0, map.memoryBytes());
    }
    long runTimeNs = 0;
    long runCount = 0;
    for (BpfProgram program : object.programs()) {
      BpfProgram.RunStats stats = program.runStats();
      runTimeNs = stats.runTimeNs() < 0 || runTimeNs < 0 ? -1 : runTimeNs + stats.runTimeNs();
      runCount = stats.runCount() < 0 || runCount < 0 ? -1 : runCount + stats.runCount();
    }
    return new BpfUsage(mapBytes, runTimeNs, runCount);
  }

  @Override
  public final void close() {
    if (object == null) {
      return;
    }
    try {
      stopping();
    } finally {
      object.close();
      object = null;
    }
  }
}
