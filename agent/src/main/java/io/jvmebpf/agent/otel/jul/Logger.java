package io.jvmebpf.agent.otel.jul;

import java.util.function.BiConsumer;

/**
 * Stands in for {@code java.util.logging.Logger} in the embedded OpenTelemetry SDK: the agent
 * jar's shade relocates the SDK's references to {@code java.util.logging} to this package. The
 * SDK logs through the JDK's logging, whose first use would start the JDK's {@code LogManager}
 * under the application (reading its configuration, installing a console handler on its stderr)
 * and which the core's module does not read. Here, warnings and errors go to one sink, the export's
 * ({@link #sink}), that says the first of them in the agent's own log; the rest is dropped.
 *
 * <p>Only the methods the SDK calls (javap lists them: getLogger, isLoggable, log with and without
 * a throwable, fine, info, warning); check them when upgrading the SDK.
 */
public final class Logger {
  private static final Logger INSTANCE = new Logger();
  private static volatile BiConsumer<String, Throwable> sink = (message, error) -> {};

  private Logger() {}

  /** Where the SDK's warnings and errors go: message and throwable (or null). */
  public static void sink(BiConsumer<String, Throwable> to) {
    sink = to;
  }

  public static Logger getLogger(String name) {
    return INSTANCE;
  }

  public boolean isLoggable(Level level) {
    return level.intValue() >= Level.WARNING.intValue();
  }

  public void log(Level level, String message) {
    log(level, message, null);
  }

  public void log(Level level, String message, Throwable error) {
    if (isLoggable(level)) {
      sink.accept(message, error);
    }
  }

  public void fine(String message) {}

  public void info(String message) {}

  public void warning(String message) {
    log(Level.WARNING, message, null);
  }
}
