package io.jvmebpf.agent.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResidentBytesTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void parsesVmRssInKilobytesAsBytes() {
    byte[] status = "Name:\tjava\nVmHWM:\t  999 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n"
        .getBytes(StandardCharsets.US_ASCII);
    assertEquals(123456L * 1024, ResidentBytes.parse(status, status.length));
    byte[] none = "Name:\tkthreadd\nVmRSS_:\t1 kB\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(-1, ResidentBytes.parse(none, none.length));
  }

  /** The one open file reads the kernel's figure of now, not of when it was opened. */
  @Test
  void eachReadSeesMemoryTouchedSinceTheLast() throws Exception {
    try (ResidentBytes rss = new ResidentBytes()) {
      long before = rss.read();
      ByteBuffer touched = ByteBuffer.allocateDirect((int) (64 * MIB)); // zeroed: every page touched
      long after = rss.read();
      assertTrue(after - before >= 48 * MIB, "resident " + before / MIB + " MiB, then " + after / MIB + " MiB");
      assertEquals(0, touched.get(touched.capacity() - 1));
    }
  }
}
