package io.jvmebpf.agent.report;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a report file could not be written, as the one log line says it: the operating system's
 * reason and the file, then what to do. Java's own messages for these are a bare path.
 */
public final class WriteFailure {
  private WriteFailure() {}

  /** {@code "No space left on device (/r/report.html.partial)"}, or the exception itself. */
  public static String cause(Exception e) {
    if (e instanceof FileSystemException f) {
      String reason = f.getReason() != null ? f.getReason() : switch (f) {
        case AccessDeniedException a -> "Permission denied";
        case NoSuchFileException n -> "No such file or directory";
        case NotDirectoryException n -> "Not a directory";
        case FileAlreadyExistsException x -> "File exists";
        default -> f.getClass().getSimpleName();
      };
      return reason + " (" + f.getFile() + ")";
    }
    // A write that fails (ENOSPC, EIO) is a plain IOException whose message is the reason.
    return e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** What the user can do about {@code cause}. */
  public static String fix(String cause) {
    return cause.startsWith("No space left") || cause.startsWith("Disk quota")
        ? "free space on that file system, or give another folder with out=DIR"
        : "make the folder writable by the JVM's user, or give another folder with out=DIR";
  }
}
