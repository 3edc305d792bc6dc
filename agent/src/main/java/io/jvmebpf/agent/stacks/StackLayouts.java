package io.jvmebpf.agent.stacks;

/** stacks.h mirrored: how the BPF programs store stacks, for every probe that reads them. */
public final class StackLayouts {
  public static final int MAX_DEPTH = 127; // STACK_MAX_DEPTH
  public static final int STACK_BYTES = MAX_DEPTH * 8; // struct stack_trace

  /** Stack ids that are not a stack's hash: STACK_NONE, STACK_LOST. */
  public static final long NO_STACK = 0;
  public static final long STACK_LOST = 1;

  private StackLayouts() {}
}
