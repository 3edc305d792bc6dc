package io.jvmebpf.agent.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.report.MemoryTimeline;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemorySamplerTest {
  @Test
  void theSamplerTakesAPointAtOnceAndOneAtTheReportThenItsThreadEnds() throws Exception {
    MemorySampler sampler = MemorySampler.start(new AgentLog("none", false));
    MemoryTimeline timeline;
    try {
      Thread.sleep(50);
      timeline = sampler.finish();
    } finally {
      sampler.close();
    }
    List<MemoryTimeline.Point> points = timeline.points();
    assertEquals(2, points.size(), points.toString());
    assertEquals(0, points.get(0).ms(), 50);
    assertTrue(points.get(1).ms() >= 50, points.toString());
    for (MemoryTimeline.Point point : points) {
      assertTrue(point.rssBytes() > 0 && point.heapCommittedBytes() >= point.heapUsedBytes(),
          point.toString());
    }
    assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("jvm-ebpf-rss")),
        "the sampler's thread outlived its close");
  }
}
