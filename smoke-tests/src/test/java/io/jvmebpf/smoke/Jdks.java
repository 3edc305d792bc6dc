package io.jvmebpf.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The other JDKs installed on this machine, found where Debian and Ubuntu put them, and on PATH. */
final class Jdks {
  /** {@code openjdk version "17.0.15"}, {@code java version "1.8.0_402"}, {@code "21-ea"}. */
  private static final Pattern VERSION = Pattern.compile("version \"(?:1\\.)?(\\d+)");

  private Jdks() {}

  record Java(Path binary, int feature) {}

  /** The first java found whose feature version is in [from, until). */
  static Optional<Java> find(int from, int until) throws InterruptedException {
    for (Path binary : candidates()) {
      Optional<Integer> feature = featureVersion(binary);
      if (feature.isPresent() && feature.get() >= from && feature.get() < until) {
        return Optional.of(new Java(binary, feature.get()));
      }
    }
    return Optional.empty();
  }

  private static Set<Path> candidates() {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
      jvms.sorted().map(jvm -> jvm.resolve("bin/java")).forEach(found::add);
    } catch (IOException e) {
      // No such folder: only PATH then.
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        found.add(Path.of(dir, "java"));
      }
    }
    Set<Path> unique = new LinkedHashSet<>(); // the same JDK is often linked from several places
    for (Path binary : found) {
      if (Files.isExecutable(binary)) {
        try {
          unique.add(binary.toRealPath());
        } catch (IOException e) {
          // A dangling link: not a JDK.
        }
      }
    }
    return unique;
  }

  private static Optional<Integer> featureVersion(Path binary) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(binary.toString(), "-version").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      Matcher version = VERSION.matcher(output);
      return version.find() ? Optional.of(Integer.parseInt(version.group(1))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
