package io.jvmebpf.agent.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a report file under a temporary name and renames it into place, so that a reader never
 * sees half a file and a failed write leaves no partial one behind. Folders it creates are 0700
 * and files 0600: a report holds command lines, paths, thread names and peers' addresses, which
 * other users of the machine have no business reading.
 */
public final class AtomicFile {
  private static final FileAttribute<?> FOLDER_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private AtomicFile() {}

  /** The body of a write: fills the stream, which the caller closes. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  public static Path write(Path target, Body body) throws IOException {
    Path folder = createFolder(target.toAbsolutePath().getParent());
    Path partial = folder.resolve(target.getFileName() + ".partial");
    try (OutputStream out = new BufferedOutputStream(Channels.newOutputStream(Files.newByteChannel(partial,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
        FILE_MODE)))) {
      body.writeTo(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Creates {@code folder} and any missing parent 0700 (an existing one keeps its mode). */
  private static Path createFolder(Path folder) throws IOException {
    return Files.createDirectories(folder, FOLDER_MODE);
  }
}
