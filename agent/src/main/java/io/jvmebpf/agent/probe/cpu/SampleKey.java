package io.jvmebpf.agent.probe.cpu;

/**
 * What the kernel counts samples by (struct sample_key: the epoch's maps, the thread, the hashes
 * of its stacks, the virtual thread mounted on it or 0), and what a sample's event was joined
 * with: the JVM's stack, and the span the thread was in ({@link SpanLinkIds}).
 */
record SampleKey(int epoch, int tid, long kernelStack, long userStack, long vthread, int javaStack, int link) {
  static final int NO_JAVA_STACK = -1;

  SampleKey(int epoch, int tid, long kernelStack, long userStack, long vthread, int javaStack) {
    this(epoch, tid, kernelStack, userStack, vthread, javaStack, SpanLinkIds.NONE);
  }

  /** The kernel's key alone. */
  SampleKey withoutJava() {
    return javaStack == NO_JAVA_STACK && link == SpanLinkIds.NONE
        ? this : new SampleKey(epoch, tid, kernelStack, userStack, vthread, NO_JAVA_STACK, SpanLinkIds.NONE);
  }

  /** The Java stack and link together, as {@link JoinedCounts} splits a kernel key's samples by. */
  long joinedWith() {
    return joinedWith(javaStack, link);
  }

  static long joinedWith(int javaStack, int link) {
    return ((long) javaStack << 32) | (link & 0xffff_ffffL);
  }

  static int javaStackOf(long joinedWith) {
    return (int) (joinedWith >> 32);
  }

  static int linkOf(long joinedWith) {
    return (int) joinedWith;
  }
}
