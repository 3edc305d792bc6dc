package io.jvmebpf.agent.probe;

import io.jvmebpf.agent.report.ReportBuilder;

/**
 * One feature of the agent (syscalls, threads, and later cpu, offcpu, net...): started once,
 * asked for its figures at report time, closed once. {@link BpfProbe} is the lifecycle every
 * BPF-backed feature shares; {@link Probes} is the one place that picks which run.
 */
public interface Probe extends AutoCloseable {
  /** The feature's key in {@code summary.json}'s {@code agent.features} and in the options. */
  String name();

  /** Loads and attaches; a failure is an exception whose message says what to do. */
  void start(ProbeContext context);

  /** Once started: what a user should know about how it runs (said in the start line), or null. */
  default String note() {
    return null;
  }

  /**
   * Stops taking new data, before the JVM's own sources (JFR) deliver their last events, so that
   * what the probe joins with them covers the same time. The report follows.
   */
  default void quiesce() {}

  /**
   * Stops taking data while staying loaded, its maps holding what they counted so far (the
   * {@code pause} command). Probes that take nothing from the kernel need do nothing.
   */
  default void pause() {}

  /** Takes data again after {@link #pause()}. */
  default void resume() {}

  /**
   * What the kernel counted so far, for {@code status}: cheap, read while the probe runs. None by
   * default: a probe's losses are otherwise read at the report.
   */
  default LiveCounts liveCounts() {
    return LiveCounts.NONE;
  }

  /** Adds this probe's figures, and the events it could not hold, to the report. */
  void contribute(ReportBuilder report);

  /** The kernel memory of this probe's maps and the run time of its programs. */
  BpfUsage usage();

  /** Detaches everything; safe to call after a failed start and more than once. */
  @Override
  void close();
}
