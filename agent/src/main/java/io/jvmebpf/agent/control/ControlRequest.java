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
 * @param problem why the request is unusable (an unknown command), or null
 */
public record ControlRequest(Command command, Path reply, String options, String problem) {
  /** The commands, by the names the command-line tool sends. */
  public enum Command {
    START, STATUS, PAUSE, RESUME, DUMP, STOP;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static ControlRequest parse(String raw) {
    Command command = Command.START;
    Path reply = null;
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
      }
    }
    return new ControlRequest(command, reply, String.join(",", rest), problem);
  }

  /** The {@code out=} folder a {@code dump} or {@code stop} names, or null. */
  Path out() {
    Path out = null;
    for (String part : options.split(",")) {
      if (part.startsWith("out=") && part.length() > "out=".length()) {
        out = Path.of(part.substring("out=".length()));
      }
    }
    return out;
  }
}
