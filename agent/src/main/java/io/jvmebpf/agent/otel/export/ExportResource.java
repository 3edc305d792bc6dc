package io.jvmebpf.agent.otel.export;

import io.jvmebpf.agent.config.OtelOptions;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The resource every export carries: the SDK's default ({@code telemetry.sdk.*}, {@code
 * service.name=unknown_service:java}), this process as the semantic conventions name it, then the
 * configured attributes ({@code OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_SERVICE_NAME}), which win.
 */
final class ExportResource {
  private ExportResource() {}

  static Resource of(OtelOptions otel) {
    AttributesBuilder process = Attributes.builder()
        .put("process.pid", ProcessHandle.current().pid())
        .put("process.runtime.name", System.getProperty("java.runtime.name", "unknown"))
        .put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"))
        .put("process.runtime.description", System.getProperty("java.vm.vendor", "") + " "
            + System.getProperty("java.vm.name", "") + " " + System.getProperty("java.vm.version", ""));
    ProcessHandle.current().info().command().ifPresent(command -> process.put("process.executable.path", command));
    String host = hostName();
    if (host != null) {
      process.put("host.name", host);
    }
    AttributesBuilder configured = Attributes.builder();
    otel.resource().forEach(configured::put);
    return Resource.getDefault().merge(Resource.create(process.build())).merge(Resource.create(configured.build()));
  }

  /** The kernel's host name (uname's nodename), without a DNS lookup. */
  private static String hostName() {
    try {
      String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
      return name.isEmpty() ? null : name;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }
}
