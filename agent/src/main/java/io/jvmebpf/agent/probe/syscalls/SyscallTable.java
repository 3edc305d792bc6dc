package io.jvmebpf.agent.probe.syscalls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Syscall numbers and names of one architecture, from the tables that
 * {@code agent/src/main/syscalls/generate-syscall-tables.sh} generates from the kernel's headers.
 */
public final class SyscallTable {
  private final Map<Integer, String> names;
  private final Map<String, Integer> numbers;

  private SyscallTable(Map<Integer, String> names) {
    this.names = Map.copyOf(names);
    Map<String, Integer> byName = new HashMap<>();
    names.forEach((nr, name) -> byName.put(name, nr));
    this.numbers = Map.copyOf(byName);
  }

  /** The table of the architecture this JVM runs on; an unknown architecture has numbers only. */
  public static SyscallTable forThisMachine() {
    return forArch(System.getProperty("os.arch"));
  }

  static SyscallTable forArch(String osArch) {
    String arch =
        switch (osArch) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          default -> osArch;
        };
    Map<Integer, String> names = new HashMap<>();
    try (InputStream in = SyscallTable.class.getResourceAsStream("/io/jvmebpf/agent/syscalls/" + arch + ".tsv")) {
      if (in != null) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
          if (!line.startsWith("#") && !line.isBlank()) {
            String[] cols = line.split("\t");
            names.put(Integer.parseInt(cols[0]), cols[1]);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SyscallTable(names);
  }

  /** The name, or {@code syscall_N} for a number this table does not know (a newer kernel's). */
  public String name(int nr) {
    String name = names.get(nr);
    return name != null ? name : "syscall_" + nr;
  }

  public OptionalInt number(String name) {
    Integer nr = numbers.get(name);
    if (nr != null) {
      return OptionalInt.of(nr);
    }
    if (name.startsWith("syscall_")) {
      try {
        int parsed = Integer.parseInt(name.substring("syscall_".length()));
        return parsed >= 0 ? OptionalInt.of(parsed) : OptionalInt.empty();
      } catch (NumberFormatException e) {
        return OptionalInt.empty();
      }
    }
    return OptionalInt.empty();
  }
}
