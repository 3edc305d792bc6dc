package io.jvmebpf.agent.report.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.agent.profile.Profile;
import io.jvmebpf.agent.profile.StackSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileKindTest {
  @Test
  void titleSaysTheCountAndTheIntervalInMilliseconds() {
    List<StackSample> samples = List.of(new StackSample(1, "main", List.of(), 1234, false));

    assertEquals("CPU profile (1234 samples, interval 10 ms)",
        ProfileKind.CPU.describe(new Profile("cpu", 10_000_000, samples)));
    assertEquals("CPU profile (1234 samples, interval 0.1001 ms)",
        ProfileKind.CPU.describe(new Profile("cpu", 100_100, samples)));
    assertEquals("CPU profile (0 samples)", ProfileKind.CPU.describe(new Profile("cpu", 0, List.of())));
    assertEquals("Off-CPU profile (0.000 s)", ProfileKind.OFF_CPU.describe(new Profile("offcpu", 0, List.of())));
  }

  @Test
  void cpuTimeIsTheCountTimesTheInterval() {
    assertEquals(List.of(3L, 30_000_000L),
        ProfileKind.CPU.sampleTypes().stream().map(type -> type.of(3, 10_000_000)).toList());
  }
}
