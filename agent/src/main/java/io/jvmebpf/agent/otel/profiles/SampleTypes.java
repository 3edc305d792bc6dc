package io.jvmebpf.agent.otel.profiles;

import io.jvmebpf.agent.report.profile.ProfileKind;
import io.jvmebpf.agent.report.profile.ValueType;

/**
 * What an OTLP profile's values measure. OTLP gives a profile one sample type (pprof allows
 * several), so each kind exports the value its counts are: CPU samples as {@code samples/count}
 * with the period {@code cpu/nanoseconds} (the OpenTelemetry eBPF profiler's choice), off-CPU time
 * as {@code off_cpu/nanoseconds} (the schema's own example), allocations as {@code
 * alloc_space/bytes} and page faults as {@code faults/count}, as the pprof files name them.
 *
 * @param sampleType the type and unit of every sample's value
 * @param periodType what the period counts, or null for a profile with no sampling period
 * @param period the distance between samples in {@code periodType}'s unit, or 0
 */
record SampleTypes(ValueType sampleType, ValueType periodType, long period) {
  static SampleTypes of(ProfileKind kind, long intervalNs) {
    if (kind.equals(ProfileKind.OFF_CPU)) { // exact sums from the scheduler, not samples
      return new SampleTypes(new ValueType("off_cpu", "nanoseconds", false), null, 0);
    }
    ValueType count = kind.sampleTypes().getFirst(); // by pprof's convention, the count comes first
    return kind.equals(ProfileKind.CPU)
        ? new SampleTypes(count, kind.periodType(), intervalNs)
        : new SampleTypes(count, null, 0);
  }
}
