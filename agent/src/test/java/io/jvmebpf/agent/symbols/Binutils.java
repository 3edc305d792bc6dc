package io.jvmebpf.agent.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ground truths from GNU binutils ({@code readelf}, {@code c++filt}), where they are installed. */
final class Binutils {
  /** One line of {@code readelf -sW}, its name without the {@code @VERSION} suffix. */
  record ElfSymbol(long value, long size, String type, String bind, String section, String name) {}

  private static final Pattern BUILD_ID = Pattern.compile("Build ID: ([0-9a-f]+)");

  private Binutils() {}

  static boolean has(String tool) {
    try {
      return run(List.of(tool, "--version")) != null;
    } catch (IOException e) {
      return false;
    }
  }

  static String buildId(Path file) throws IOException {
    Matcher m = BUILD_ID.matcher(run(List.of("readelf", "-n", file.toString())));
    return m.find() ? m.group(1) : null;
  }

  /** Defined functions ({@code FUNC}, {@code IFUNC}) of {@code .symtab} and {@code .dynsym}. */
  static List<ElfSymbol> functions(Path file) throws IOException {
    List<ElfSymbol> symbols = new ArrayList<>();
    for (String line : run(List.of("readelf", "-sW", file.toString())).split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 8 || !f[0].endsWith(":") || !(f[3].equals("FUNC") || f[3].equals("IFUNC"))) {
        continue;
      }
      long value = Long.parseUnsignedLong(f[1], 16);
      if (f[6].equals("UND") || value == 0) {
        continue;
      }
      long size =
          f[2].startsWith("0x") ? Long.parseLong(f[2].substring(2), 16) : Long.parseLong(f[2]);
      int at = f[7].indexOf('@');
      symbols.add(
          new ElfSymbol(value, size, f[3], f[4], f[6], at < 0 ? f[7] : f[7].substring(0, at)));
    }
    return symbols;
  }

  /** {@code c++filt} of each name, in order. */
  static List<String> cxxfilt(List<String> names) throws IOException {
    List<String> command = new ArrayList<>(List.of("c++filt"));
    command.addAll(names);
    return List.of(run(command).split("\n"));
  }

  private static String run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(
            command.get(0) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
