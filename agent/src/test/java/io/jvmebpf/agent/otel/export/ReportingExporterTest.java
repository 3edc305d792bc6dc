package io.jvmebpf.agent.otel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ReportingExporterTest {
  @Test
  void theReasonIsTheFirstCauseThatIsNotAWrapper() {
    ConnectException refused = new ConnectException();
    refused.initCause(new java.nio.channels.ClosedChannelException());
    assertEquals("java.net.ConnectException",
        ReportingExporter.reason(new CompletionException(new UncheckedIOException(refused))));
    assertEquals("java.io.IOException: 503", ReportingExporter.reason(new java.io.IOException("503")));
  }
}
