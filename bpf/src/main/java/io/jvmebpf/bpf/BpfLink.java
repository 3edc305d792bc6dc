package io.jvmebpf.bpf;

import java.lang.foreign.MemorySegment;

/**
 * An attachment of a program; closing it detaches the program and removes it from its object's
 * links. Idempotent.
 */
public final class BpfLink implements AutoCloseable {
  private final String programName;
  private final MemorySegment handle;
  private final BpfObject owner;
  private boolean destroyed;

  BpfLink(String programName, MemorySegment handle, BpfObject owner) {
    this.programName = programName;
    this.handle = handle;
    this.owner = owner;
  }

  public String programName() {
    return programName;
  }

  public synchronized boolean isAttached() {
    return !destroyed;
  }

  @Override
  public void close() {
    try {
      destroy();
    } finally {
      owner.unregister(this); // outside this link's lock: the object's is taken before a link's
    }
  }

  private synchronized void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    try {
      Errors.check((int) Libbpf.bpf_link__destroy.invokeExact(handle), "detaching " + programName);
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }
}
