package io.jvmebpf.agent.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.agent.threads.ThreadIdentity.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaThreadDumpTest {
  @Test
  void parsesJavaAndNativeThreadsAsJdk25PrintsThem() {
    String dump = """
        2026-11-26 05:52:25
        Full thread dump OpenJDK 64-Bit Server VM (25.0.3+9-LTS mixed mode, sharing):

        "main" #3 [2987] prio=5 os_prio=0 cpu=525.92ms elapsed=0.63s tid=0x00007f4b6002aa70 nid=2987 waiting on condition  [0x00007f4b67f1e000]
           java.lang.Thread.State: TIMED_WAITING (sleeping)
        "my "odd" name #3 [x]" #22 [3006] daemon prio=5 os_prio=0 cpu=0.30ms elapsed=0.12s tid=0x00007f4b604b0cd0 nid=3006 waiting on condition  [0x00007f4b64d0f000]
        "GC Thread#1" os_prio=0 cpu=3.35ms elapsed=0.23s tid=0x00007f4b280062b0 nid=3005 runnable
        "VM Thread" os_prio=0 cpu=1.30ms elapsed=0.60s tid=0x00007f4b600a83d0 nid=0xbb3 runnable
        """;
    assertEquals(
        List.of(
            new ThreadIdentity(2987, "main", 3L, Source.JVM),
            new ThreadIdentity(3006, "my \"odd\" name #3 [x]", 22L, Source.JVM),
            new ThreadIdentity(3005, "GC Thread#1", null, Source.JVM),
            new ThreadIdentity(0xbb3, "VM Thread", null, Source.JVM)),
        JavaThreadDump.parse(dump));
  }

  @Test
  void theLiveDumpNamesThisThread() throws Exception {
    Thread.currentThread().setName("dump-test-thread");
    List<ThreadIdentity> threads = JavaThreadDump.take();
    assertEquals(1, threads.stream().filter(t -> t.name().equals("dump-test-thread")).count(), threads.toString());
  }
}
