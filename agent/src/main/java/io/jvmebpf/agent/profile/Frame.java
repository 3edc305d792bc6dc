package io.jvmebpf.agent.profile;

/**
 * One frame of a stack. Java frames are named {@code pkg.Class.method}, native ones by their
 * (demangled, argument-free) symbol, kernel ones by their kallsyms name, without any suffix: the
 * writers add the marks their formats use.
 */
public record Frame(String name, FrameKind kind) {
  public static final Frame UNKNOWN = new Frame("[unknown]", FrameKind.UNKNOWN);
}
