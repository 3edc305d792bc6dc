package io.jvmebpf.agent.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.agent.threads.ThreadIdentity.Source;
import io.jvmebpf.jfr.JavaThread;
import org.junit.jupiter.api.Test;

class ThreadRegistryTest {
  @Test
  void theJvmsNameBeatsTheKernelsTruncatedOneWhicheverComesFirst() {
    ThreadRegistry registry = new ThreadRegistry();
    registry.exited(100, "a-very-long-thr");
    registry.javaThread(new JavaThread(100, 7, "a-very-long-thread-name"));
    registry.exited(100, "a-very-long-thr");
    assertEquals(new ThreadIdentity(100, "a-very-long-thread-name", 7L, Source.JVM), registry.identify(100));
  }

  @Test
  void aReusedTidTakesTheNewerJavaThread() {
    ThreadRegistry registry = new ThreadRegistry();
    registry.javaThread(new JavaThread(100, 7, "first"));
    registry.javaThread(new JavaThread(100, 9, "second"));
    assertEquals("second", registry.identify(100).name());
  }

  @Test
  void mainKeepsItsNameWhenTheLauncherReattachesItAsDestroyJavaVm() {
    ThreadRegistry registry = new ThreadRegistry();
    registry.javaThread(new JavaThread(100, 3, "main"));
    registry.javaThread(new JavaThread(100, 36, "DestroyJavaVM")); // JFR's ThreadStart after main()
    assertEquals("main", registry.identify(100).name());
    assertEquals(3L, registry.identify(100).javaThreadId());
  }

  @Test
  void unknownTidsFallBackToProcThenToTheNumber() {
    ThreadRegistry registry = new ThreadRegistry();
    int self = (int) ProcessHandle.current().pid();
    assertEquals(Source.KERNEL, registry.identify(self).source());
    assertEquals(new ThreadIdentity(Integer.MAX_VALUE, "tid-" + Integer.MAX_VALUE, null, Source.UNKNOWN),
        registry.identify(Integer.MAX_VALUE));
  }

  @Test
  void staysBoundedAndCountsWhatItForgot() {
    ThreadRegistry registry = new ThreadRegistry();
    for (int tid = 1; tid <= ThreadRegistry.MAX_REMEMBERED + 10; tid++) {
      registry.exited(tid, "t" + tid);
    }
    assertEquals(10, registry.forgotten());
  }
}
