package io.jvmebpf.smoke;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.bpf.testing.MachineAssumptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless, each run with a fresh profile and every background service
 * off, so it fetches nothing of its own: the page's DOM after its scripts ran ({@code --dump-dom}),
 * a screenshot, and what the page wrote to its console (Chromium logs each console message and
 * uncaught error as a {@code CONSOLE} line with {@code --enable-logging=stderr}).
 */
final class HeadlessChromium {
  private final String binary;
  private final Path workDir;

  private HeadlessChromium(String binary, Path workDir) {
    this.binary = binary;
    this.workDir = workDir;
  }

  /** Skips (fails with CI=true) where no Chromium is installed. */
  static HeadlessChromium find(Path workDir) {
    for (String name : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(name))) {
        return new HeadlessChromium(name, workDir);
      }
    }
    MachineAssumptions.skip("Chromium is not installed (apt-get install chromium)");
    throw new AssertionError("unreachable");
  }

  /** What the browser printed and the page's console lines. */
  record Page(String dom, List<String> console) {}

  Page dumpDom(String url) throws Exception {
    Run run = run("--dump-dom", url);
    return new Page(run.stdout(), run.console());
  }

  List<String> screenshot(String url, Path png) throws Exception {
    return run("--window-size=1400,4000", "--screenshot=" + png, url).console();
  }

  private record Run(String stdout, List<String> console) {}

  private Run run(String... args) throws Exception {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
    List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "chromium-", ".out");
    Path err = Files.createTempFile(workDir, "chromium-", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not end: " + command);
    List<String> console = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains(":CONSOLE")).toList();
    return new Run(Files.readString(out, StandardCharsets.UTF_8), console);
  }
}
