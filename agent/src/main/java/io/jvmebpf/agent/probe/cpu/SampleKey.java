package io.jvmebpf.agent.probe.cpu;

/**
 * What the kernel counts samples by (struct sample_key: the epoch's maps, the thread, its stack
 * ids), and the JVM stack a sample was joined with.
 */
record SampleKey(int epoch, int tid, int kernelStack, int userStack, int javaStack) {
  static final int NO_JAVA_STACK = -1;

  SampleKey withoutJava() {
    return javaStack == NO_JAVA_STACK ? this : new SampleKey(epoch, tid, kernelStack, userStack, NO_JAVA_STACK);
  }
}
