package io.jvmebpf.agent.vthreads;

/** A virtual thread's name as a pattern: every run of digits folded to {@code #} (burner-17: burner-#). */
public final class NamePattern {
  /** The pattern of virtual threads that have no name (the default for virtual threads). */
  public static final String UNNAMED = "[unnamed]";

  private NamePattern() {}

  public static String of(String name) {
    if (name == null || name.isEmpty()) {
      return UNNAMED;
    }
    StringBuilder pattern = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= '0' && c <= '9') {
        if (pattern.isEmpty() || pattern.charAt(pattern.length() - 1) != '#') {
          pattern.append('#');
        }
      } else {
        pattern.append(c);
      }
    }
    return pattern.toString();
  }
}
