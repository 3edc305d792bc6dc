package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one profile in every format of the report folder: {@code <baseName>.collapsed} (folded
 * stacks), {@code <baseName>.pb.gz} (pprof) and {@code <baseName>.html} (flame graph). The CPU
 * profile is {@code cpu}; other profiles reuse this with their own base name and kind.
 */
public final class ProfileFiles {
  private ProfileFiles() {}

  /** Returns the files written; each appears whole or not at all. */
  public static List<Path> write(Profile profile, ProfileKind kind, ProfileSpan span, Path folder, String baseName)
      throws IOException {
    return List.of(
        new CollapsedWriter().write(profile, folder, baseName),
        new PprofWriter().write(profile, kind, span, folder, baseName),
        new FlameGraphWriter().write(profile, kind, folder, baseName));
  }
}
