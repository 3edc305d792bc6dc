package io.jvmebpf.agent.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a report file under a temporary name and renames it into place, so that a reader never
 * sees half a file and a failed write leaves no partial one behind.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** The body of a write: fills the stream, which the caller closes. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  public static Path write(Path target, Body body) throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Path partial = folder.resolve(target.getFileName() + ".partial");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
      body.writeTo(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
