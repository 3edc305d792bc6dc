package io.jvmebpf.agent.jit;

/**
 * Code the JVM generated outside any Java method, as JVMTI's {@code DynamicCodeGenerated} names it:
 * the template interpreter ({@value #INTERPRETER}), stub routines, adapters, vtable stubs.
 *
 * @param end exclusive
 */
public record CodeBlob(long start, long end, String name) {
  /** HotSpot's name for the blob holding the whole template interpreter. */
  public static final String INTERPRETER = "Interpreter";

  public boolean contains(long pc) {
    return pc >= start && pc < end;
  }

  public boolean isInterpreter() {
    return INTERPRETER.equals(name);
  }
}
