package io.jvmebpf.agent.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one entry into the agent asks for: the agent's options string with the two control keys
 * taken out. {@code command=NAME} names a command for the session already running (absent: start
 * one); {@code reply=FILE} is where the answer goes, for the command-line tool, which cannot see
 * the JVM's stderr. Both keys are the tool's: a user's {@code -javaagent:} options never hold them.
 *
 * @param command what to do
 * @param reply the file the answer is written to, or null
 * @param options the rest, the agent's own options (for {@code start}) or the command's
 *     ({@code out=} for {@code dump} and {@code stop})
 * @param out the {@code out=} folder a {@code dump} or {@code stop} names, or null
 * @param problem why the request is unusable (an unknown command, an option the command does not
 *     take), or null
 */
public record ControlRequest(Command command, Path reply, String options, Path out, String problem) {
  /** The commands, by the names the command-line tool sends. */
  public enum Command {
    START, STATUS, PAUSE, RESUME, DUMP, STOP;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** dump and stop take {@code out=}; the other commands nothing (start: the agent's options). */
    boolean takesOut() {
      return this == DUMP || this == STOP;
    }
  }

  public static ControlRequest parse(String raw) {
    Command command = Command.START;
    Path reply = null;
    Path out = null;
    String problem = null;
    List<String> rest = new ArrayList<>();
    for (String part : raw == null || raw.isEmpty() ? new String[0] : raw.split(",", -1)) {
      if (part.startsWith("command=")) {
        String name = part.substring("command=".length());
        command = null;
        for (Command c : Command.values()) {
          if (c.key().equals(name)) {
            command = c;
          }
        }
        if (command == null) {
          problem = "unknown command '" + name + "'";
          command = Command.STATUS;
        }
      } else if (part.startsWith("reply=") && part.length() > "reply=".length()) {
        reply = Path.of(part.substring("reply=".length()));
      } else {
        rest.add(part);
        if (part.startsWith("out=") && part.length() > "out=".length()) {
          out = Path.of(part.substring("out=".length()));
        }
      }
    }
    if (problem == null && command != Command.START) {
      problem = extraOption(command, rest);
    }
    return new ControlRequest(command, reply, String.join(",", rest), command.takesOut() ? out : null, problem);
  }

  /** Why an option does not apply to {@code command}, or null when none is given that does not. */
  private static String extraOption(Command command, List<String> options) {
    for (String part : options) {
      if (!part.isEmpty() && !(command.takesOut() && part.startsWith("out="))) {
        return "'" + part + "' does not apply to " + command.key()
            + (command.takesOut() ? " (it takes out=DIR only)" : " (it takes no options)");
      }
    }
    return null;
  }
}
