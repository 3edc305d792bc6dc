package io.jvmebpf.agent.probe.cpu;

/**
 * What the kernel counts samples by (struct sample_key: the epoch's maps, the thread, the hashes
 * of its stacks, the virtual thread mounted on it or 0), and the JVM stack a sample was joined with.
 */
record SampleKey(int epoch, int tid, long kernelStack, long userStack, long vthread, int javaStack) {
  static final int NO_JAVA_STACK = -1;

  SampleKey withoutJava() {
    return javaStack == NO_JAVA_STACK ? this
        : new SampleKey(epoch, tid, kernelStack, userStack, vthread, NO_JAVA_STACK);
  }
}
