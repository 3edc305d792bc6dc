package io.jvmebpf.otel;

import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

/** Starts the agent's session once the OpenTelemetry Java agent has built its SDK. */
public final class JvmEbpfAgentListener implements AgentListener {
  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
    Extension.start();
  }
}
