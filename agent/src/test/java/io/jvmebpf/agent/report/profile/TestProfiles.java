package io.jvmebpf.agent.report.profile;

import static io.jvmebpf.agent.profile.FrameKind.INLINED;
import static io.jvmebpf.agent.profile.FrameKind.INTERPRETED;
import static io.jvmebpf.agent.profile.FrameKind.JIT;
import static io.jvmebpf.agent.profile.FrameKind.KERNEL;
import static io.jvmebpf.agent.profile.FrameKind.NATIVE;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import java.util.ArrayList;
import java.util.List;

/** The profile the writer tests share: every frame kind, names that break naive writers. */
final class TestProfiles {
  static final long INTERVAL_NS = 10_000_000;
  /** A thread name with both separators of the collapsed format. */
  static final String POOL = "pool;1\nworker";
  /** A thread name that would end the flame graph's script if written raw. */
  static final String SCRIPT = "</script><b>x";

  private TestProfiles() {}

  static Profile cpu() {
    List<StackSample> samples = new ArrayList<>();
    samples.add(new StackSample(101, "main",
        frames("com.example.App.main", JIT, "com.example.App.work", JIT, "java.util.HashMap.hash", INLINED), 5, true));
    // The same stack again, from the frame-pointer walk: one line in the collapsed file.
    samples.add(new StackSample(101, "main",
        frames("com.example.App.main", JIT, "com.example.App.work", JIT, "java.util.HashMap.hash", INLINED), 3, false));
    samples.add(new StackSample(101, "main",
        frames("com.example.App.main", JIT, "java.io.FileOutputStream.writeBytes", JIT, "writeBytes", NATIVE,
            "write", NATIVE, "entry_SYSCALL_64", KERNEL, "ksys_write", KERNEL), 2, false));
    samples.add(new StackSample(202, POOL,
        frames("java.lang.Thread.run", INTERPRETED, "Unsafe_Park", NATIVE, "Parker::park", NATIVE,
            "futex_wait", KERNEL), 4, false));
    samples.add(new StackSample(202, POOL, frames("java.lang.Thread.run", INTERPRETED), 1, false));
    samples.add(new StackSample(404, SCRIPT, frames("std::vector<int>::push_back", NATIVE), 1, false));
    // No samples: written nowhere.
    samples.add(new StackSample(101, "main", frames("com.example.App.idle", JIT), 0, false));
    return new Profile("cpu", INTERVAL_NS, samples);
  }

  /** Alternating name, kind pairs, root first. */
  static List<Frame> frames(Object... nameKind) {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < nameKind.length; i += 2) {
      frames.add(new Frame((String) nameKind[i], (FrameKind) nameKind[i + 1]));
    }
    return frames;
  }
}
