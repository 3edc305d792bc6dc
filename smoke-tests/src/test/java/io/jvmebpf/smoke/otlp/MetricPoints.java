package io.jvmebpf.smoke.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The number data points of received metrics, flattened: which request, the resource's and the
 * point's attributes as strings, and the value. Sums and gauges only (what the agent exports).
 */
public record MetricPoints(List<Point> points) {
  public record Point(int request, String metric, String unit, Map<String, String> resource,
      Map<String, String> attributes, double value, boolean monotonic) {
    public String attribute(String key) {
      return attributes.get(key);
    }
  }

  public static MetricPoints of(List<ExportMetricsServiceRequest> requests) {
    List<Point> points = new ArrayList<>();
    for (int r = 0; r < requests.size(); r++) {
      for (ResourceMetrics rm : requests.get(r).getResourceMetricsList()) {
        Map<String, String> resource = strings(rm.getResource().getAttributesList());
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            List<NumberDataPoint> data = m.hasSum() ? m.getSum().getDataPointsList()
                : m.hasGauge() ? m.getGauge().getDataPointsList() : List.of();
            boolean monotonic = m.hasSum() && m.getSum().getIsMonotonic();
            for (NumberDataPoint p : data) {
              double value = p.hasAsInt() ? p.getAsInt() : p.getAsDouble();
              points.add(new Point(r, m.getName(), m.getUnit(), resource, strings(p.getAttributesList()), value,
                  monotonic));
            }
          }
        }
      }
    }
    return new MetricPoints(points);
  }

  public List<Point> named(String metric) {
    return points.stream().filter(p -> p.metric().equals(metric)).toList();
  }

  /** The points of {@code metric} whose attributes include all of {@code attributes}. */
  public List<Point> named(String metric, Map<String, String> attributes) {
    return named(metric).stream().filter(p -> p.attributes().entrySet().containsAll(attributes.entrySet())).toList();
  }

  /** The value in the last request that has the series; NaN when none has. */
  public double last(String metric, Map<String, String> attributes) {
    List<Point> series = named(metric, attributes);
    return series.isEmpty() ? Double.NaN : series.get(series.size() - 1).value();
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      AnyValue v = kv.getValue();
      map.put(kv.getKey(), v.hasStringValue() ? v.getStringValue()
          : v.hasIntValue() ? Long.toString(v.getIntValue())
          : v.hasDoubleValue() ? Double.toString(v.getDoubleValue())
          : v.hasBoolValue() ? Boolean.toString(v.getBoolValue()) : v.toString());
    }
    return map;
  }
}
