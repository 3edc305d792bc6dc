package io.jvmebpf.agent.report;

import java.time.Instant;
import java.util.List;

/**
 * The process's memory over the session: {@code summary.json}'s {@code process.memory}.
 *
 * @param startedAt when the first sample was taken (the agent's start); {@code ms} counts from it
 * @param periodMs the spacing of the samples at the end (doubled each time the series was full)
 * @param points oldest first; the last one taken at the report
 */
public record MemoryTimeline(Instant startedAt, long periodMs, List<Point> points) {
  /**
   * @param rssBytes the process's resident set (VmRSS)
   * @param heapUsedBytes the Java heap in use, garbage not yet collected included
   * @param heapCommittedBytes the Java heap the JVM has reserved memory for
   */
  public record Point(long ms, long rssBytes, long heapUsedBytes, long heapCommittedBytes) {}
}
