package io.jvmebpf.agent.otel.profiles;

import io.jvmebpf.agent.AgentThreads;
import io.jvmebpf.agent.config.OtelOptions;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.report.ReportBuilder.ProfileFile;
import java.time.Duration;
import java.util.List;

/**
 * Sends a report's profiles through OTLP, on an agent thread ({@code jvm-ebpf-otlp-profiles}),
 * waiting for it at most {@link #TIMEOUT} and a second: the report is written at the JVM's exit
 * too, where a thread left running would be cut off. A failure is one line; no endpoint, nothing
 * is encoded or sent; profiles without samples are left out.
 */
public final class OtlpProfilesExport {
  /**
   * For connecting, and again for the answer. OTLP exporters wait 10 s by default; the report,
   * which runs at the JVM's exit too, waits less.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private OtlpProfilesExport() {}

  /** Exports {@code profiles}; returns once sent, failed, or still under way after the wait. */
  public static void export(List<ProfileFile> profiles, OtelOptions otel, String version, AgentLog log) {
    List<ProfileFile> sampled = profiles.stream().filter(p -> !p.profile().samples().isEmpty()).toList();
    if (!otel.exports() || sampled.isEmpty()) {
      return;
    }
    Thread thread = AgentThreads.start("otlp-profiles", () -> exportNow(sampled, otel, version, log), log);
    try {
      thread.join(TIMEOUT.plusSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.info("OTLP profiles export to " + OtlpProfilesSender.profilesUri(otel.endpoint())
          + " still under way after " + TIMEOUT.plusSeconds(1).toSeconds() + " s: left to finish in the background");
    }
  }

  /** Encodes and sends on the calling thread (an agent thread), then says how it went. */
  static void exportNow(List<ProfileFile> profiles, OtelOptions otel, String version, AgentLog log) {
    long started = System.nanoTime();
    OtlpProfilesSender.Result result;
    int bytes = 0;
    try {
      byte[] request = OtlpProfilesEncoder.encode(profiles, otel.resource(), version);
      bytes = request.length;
      result = new OtlpProfilesSender(log, TIMEOUT).send(otel.endpoint(), otel.headers(), request);
    } catch (RuntimeException e) {
      result = new OtlpProfilesSender.Failed(e.toString());
    } catch (LinkageError e) { // a JVM whose image lacks java.net.http
      result = new OtlpProfilesSender.Failed("the JDK's HTTP client is missing (" + e + ")");
    }
    String where = OtlpProfilesSender.profilesUri(otel.endpoint()).toString();
    switch (result) {
      case OtlpProfilesSender.Sent sent -> log.debug(profiles.size() + " profiles (" + bytes + " bytes) exported to "
          + where + " in " + (System.nanoTime() - started) / 1_000_000 + " ms: HTTP " + sent.status());
      case OtlpProfilesSender.Failed failed -> log.info("could not export profiles to " + where + ": " + failed.reason());
    }
  }
}
