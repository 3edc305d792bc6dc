package io.jvmebpf.agent.probe.cpu;

/**
 * What the kernel counts samples by (struct sample_key: the epoch's maps, the thread, the hashes
 * of its stacks), and the JVM stack a sample was joined with.
 */
record SampleKey(int epoch, int tid, long kernelStack, long userStack, int javaStack) {
  static final int NO_JAVA_STACK = -1;

  SampleKey withoutJava() {
    return javaStack == NO_JAVA_STACK ? this : new SampleKey(epoch, tid, kernelStack, userStack, NO_JAVA_STACK);
  }
}
