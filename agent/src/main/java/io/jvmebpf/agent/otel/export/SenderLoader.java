package io.jvmebpf.agent.otel.export;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * What the exporter would find through {@code ServiceLoader}: the agent jar keeps no
 * {@code META-INF/services} (see the core's shade), and the core is a named module whose
 * descriptor declares no service, so the one provider the export needs is named here: {@link
 * AgentHttpSender}, on the agent's executors. Any other lookup (a compressor other than gzip)
 * finds nothing.
 */
final class SenderLoader implements ComponentLoader {
  private final ExecutorService sending;
  private final ExecutorService clientTasks;

  SenderLoader(ExecutorService sending, ExecutorService clientTasks) {
    this.sending = sending;
    this.clientTasks = clientTasks;
  }

  @Override
  public <T> Iterable<T> load(Class<T> type) {
    if (type == HttpSenderProvider.class) {
      HttpSenderProvider provider = config -> new AgentHttpSender(config, sending, clientTasks);
      return List.of(type.cast(provider));
    }
    return List.of();
  }
}
