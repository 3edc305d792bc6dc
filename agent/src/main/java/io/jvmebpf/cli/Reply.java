package io.jvmebpf.cli;

import java.util.List;

/**
 * The agent's answer to one command, as its controller writes it: a first line {@code ok} or
 * {@code error}, then lines for a person.
 */
record Reply(boolean ok, List<String> lines) {
  static Reply parse(String text) {
    List<String> all = text.lines().toList();
    if (all.isEmpty()) {
      return new Reply(false, List.of());
    }
    return new Reply(all.getFirst().equals("ok"), all.subList(1, all.size()));
  }

  /** The number after {@code key: } on a line of its own, or -1. */
  long number(String key) {
    for (String line : lines) {
      if (line.startsWith(key + ": ")) {
        try {
          return Long.parseLong(line.substring(key.length() + 2).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
