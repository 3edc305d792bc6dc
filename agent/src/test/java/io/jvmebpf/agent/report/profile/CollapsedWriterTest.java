package io.jvmebpf.agent.report.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jvmebpf.agent.profile.StackSample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollapsedWriterTest {
  @TempDir Path folder;

  @Test
  void writesOneSortedLinePerThreadAndStack() throws Exception {
    Path written = new CollapsedWriter().write(TestProfiles.cpu(), folder, "cpu");

    assertEquals(folder.resolve("cpu.collapsed"), written);
    assertFalse(Files.exists(folder.resolve("cpu.collapsed.partial")));
    assertEquals(
        """
        [</script><b>x tid=404];std::vector<int>::push_back 1
        [main tid=101];com.example.App.main;com.example.App.work;java.util.HashMap.hash 8
        [main tid=101];com.example.App.main;java.io.FileOutputStream.writeBytes;writeBytes;write;entry_SYSCALL_64_[k];ksys_write_[k] 2
        [pool:1 worker tid=202];java.lang.Thread.run 1
        [pool:1 worker tid=202];java.lang.Thread.run;Unsafe_Park;Parker::park;futex_wait_[k] 4
        """,
        Files.readString(written, StandardCharsets.UTF_8));
  }

  @Test
  void aThreadWithoutANameIsItsTid() {
    StackSample sample = new StackSample(7, "", TestProfiles.frames(), 1, false);
    assertEquals("[tid=7]", FrameNames.collapsedStack(sample));
  }
}
