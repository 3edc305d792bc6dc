package io.jvmebpf.agent.jit;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The ground truth: what the JVM itself says about its code cache, through its diagnostic commands
 * ({@code jcmd PID Compiler.codelist} and {@code Compiler.perfmap}), independently of JVMTI.
 */
final class JvmCodeCache {
  // "1510 4 0 T.hot(I)J [0x00007f431bf29d08, 0x00007f431bf29e00 - 0x00007f431bf2a108]"
  // compile id, tier, state, method with signature, [header, code begin - code end]
  private static final Pattern CODELIST =
      Pattern.compile(
          "^(\\d+) (\\d+) (\\d+) (.+?)\\(.*\\)\\S* \\[0x\\p{XDigit}+, 0x(\\p{XDigit}+) -"
              + " 0x(\\p{XDigit}+)\\]$");

  /**
   * One compiled method: {@code name} is {@code pkg.Class.method}, hidden classes as the JVM prints
   * them.
   */
  record Compiled(int id, int level, String name, long begin, long end) {}

  /** One line of the perf map: {@code start size name}. */
  record Mapped(long start, long size, String name) {}

  private JvmCodeCache() {}

  static List<Compiled> codelist() throws Exception {
    List<Compiled> rows = new ArrayList<>();
    for (String line : command("compilerCodelist").split("\n")) {
      Matcher m = CODELIST.matcher(line.strip());
      if (m.matches()) {
        rows.add(
            new Compiled(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                m.group(4),
                Long.parseUnsignedLong(m.group(5), 16),
                Long.parseUnsignedLong(m.group(6), 16)));
      }
    }
    return rows;
  }

  static List<Compiled> codelist(String name) throws Exception {
    return codelist().stream().filter(c -> c.name().equals(name)).toList();
  }

  static List<Mapped> perfmap(Path file) throws Exception {
    command("compilerPerfmap", file.toString());
    List<Mapped> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.split(" ", 3);
      rows.add(new Mapped(Long.decode(parts[0]), Long.decode(parts[1]), parts[2]));
    }
    return rows;
  }

  private static String command(String operation, String... arguments) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
    return (String)
        server.invoke(
            commands, operation, new Object[] {arguments}, new String[] {String[].class.getName()});
  }
}
