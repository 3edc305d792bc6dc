package io.jvmebpf.bpf;

import java.lang.foreign.MemorySegment;

/** An attachment of a program; closing it detaches the program. Idempotent. */
public final class BpfLink implements AutoCloseable {
  private final String programName;
  private final MemorySegment handle;
  private boolean destroyed;

  BpfLink(String programName, MemorySegment handle) {
    this.programName = programName;
    this.handle = handle;
  }

  public String programName() {
    return programName;
  }

  public boolean isAttached() {
    return !destroyed;
  }

  @Override
  public synchronized void close() {
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
