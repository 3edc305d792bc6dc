package io.jvmebpf.agent.otel.jul;

/**
 * What the embedded OpenTelemetry SDK uses of {@code java.util.logging.Level}: the agent jar's
 * shading points the SDK's references to {@code java.util.logging} here (see {@link Logger}).
 */
public final class Level {
  public static final Level FINEST = new Level("FINEST", 300);
  public static final Level FINER = new Level("FINER", 400);
  public static final Level FINE = new Level("FINE", 500);
  public static final Level CONFIG = new Level("CONFIG", 700);
  public static final Level INFO = new Level("INFO", 800);
  public static final Level WARNING = new Level("WARNING", 900);
  public static final Level SEVERE = new Level("SEVERE", 1000);

  private final String name;
  private final int value;

  private Level(String name, int value) {
    this.name = name;
    this.value = value;
  }

  public int intValue() {
    return value;
  }

  public String getName() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
