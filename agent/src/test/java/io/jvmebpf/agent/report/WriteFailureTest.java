package io.jvmebpf.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class WriteFailureTest {
  @Test
  void theReasonAndTheFileThenTheFix() {
    String readOnly = WriteFailure.cause(new FileSystemException("/r/summary.json.partial", null, "Read-only file system"));
    assertEquals("Read-only file system (/r/summary.json.partial)", readOnly);
    assertEquals("make the folder writable by the JVM's user, or give another folder with out=DIR", WriteFailure.fix(readOnly));
    assertEquals("Permission denied (/r)", WriteFailure.cause(new AccessDeniedException("/r")));
  }

  @Test
  void aFullDiskSaysToFreeSpace() {
    String full = WriteFailure.cause(new IOException("No space left on device"));
    assertEquals("No space left on device", full);
    assertEquals("free space on that file system, or give another folder with out=DIR", WriteFailure.fix(full));
  }
}
