package io.jvmebpf.agent.stacks;

import java.util.regex.Pattern;

/**
 * Java method names as the JIT code map writes them (agent/src/main/c/jvmti_names.c), for names
 * that come from JFR: a hidden class loses its address ({@code Foo$$Lambda.0x1234} and
 * {@code /0x1234}, {@code +0x1234}), a pre-JDK 21 lambda its counter ({@code $$Lambda$14}). Both
 * change from run to run and would split one method into many frames.
 */
public final class JavaNames {
  private static final Pattern ADDRESS = Pattern.compile("[./+]0x[0-9a-fA-F]+$");
  private static final Pattern LAMBDA_COUNTER = Pattern.compile("\\$\\$Lambda\\$\\d+$");

  private JavaNames() {}

  /** {@code pkg.Class.method} with the class part cleaned as the JIT map does. */
  public static String withoutAddresses(String qualifiedMethod) {
    int dot = qualifiedMethod.lastIndexOf('.');
    if (dot <= 0 || qualifiedMethod.indexOf("$$") < 0 && qualifiedMethod.indexOf("0x") < 0) {
      return qualifiedMethod; // the common case, with nothing to clean
    }
    String type = qualifiedMethod.substring(0, dot);
    type = ADDRESS.matcher(type).replaceFirst("");
    type = LAMBDA_COUNTER.matcher(type).replaceFirst("\\$\\$Lambda");
    return type + qualifiedMethod.substring(dot);
  }
}
