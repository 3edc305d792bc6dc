package io.jvmebpf.agent.otel.metrics;

import io.jvmebpf.agent.overhead.SelfOverhead;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;

/**
 * The process's figures under the OpenTelemetry semantic conventions' names ({@code process.*}),
 * read from {@code /proc} at each collection: they need no probe.
 */
final class ProcessMetrics {
  private static final AttributeKey<String> CPU_MODE = AttributeKey.stringKey("cpu.mode");
  private static final AttributeKey<String> FAULT_TYPE = AttributeKey.stringKey("process.paging.fault_type");
  private static final Attributes USER = Attributes.of(CPU_MODE, "user");
  private static final Attributes SYSTEM = Attributes.of(CPU_MODE, "system");
  private static final Attributes MINOR = Attributes.of(FAULT_TYPE, "minor");
  private static final Attributes MAJOR = Attributes.of(FAULT_TYPE, "major");

  private ProcessMetrics() {}

  static void register(Meter meter) {
    ObservableDoubleMeasurement cpu = meter.counterBuilder("process.cpu.time").ofDoubles().setUnit("s")
        .setDescription("Total CPU seconds broken down by different CPU modes.").buildObserver();
    ObservableLongMeasurement faults = meter.counterBuilder("process.paging.faults").setUnit("{fault}")
        .setDescription("Number of page faults the process has made.").buildObserver();
    ObservableLongMeasurement threads = meter.upDownCounterBuilder("process.thread.count").setUnit("{thread}")
        .setDescription("Process threads count.").buildObserver();
    ObservableLongMeasurement memory = meter.upDownCounterBuilder("process.memory.usage").setUnit("By")
        .setDescription("The amount of physical memory in use (resident set).").buildObserver();
    meter.batchCallback(() -> {
      ProcessStat stat = ProcessStat.read();
      if (stat != null) {
        cpu.record(stat.userTicks() / ProcessStat.TICKS_PER_SECOND, USER);
        cpu.record(stat.systemTicks() / ProcessStat.TICKS_PER_SECOND, SYSTEM);
        faults.record(stat.minorFaults(), MINOR);
        faults.record(stat.majorFaults(), MAJOR);
        threads.record(stat.threads());
      }
      long rss = SelfOverhead.residentBytes();
      if (rss > 0) {
        memory.record(rss);
      }
    }, cpu, faults, threads, memory);
  }
}
