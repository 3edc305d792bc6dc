package io.jvmebpf.agent.probe.cpu;

import io.jvmebpf.agent.otel.SpanLink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small ids for the spans sample events were linked to, so that counts are split by an int
 * rather than by a record until their epoch is drained, when the assembler takes the spans
 * themselves; so one table per epoch's pair of maps, emptied with it. Bounded at {@value
 * #MAX_LINKS} spans an epoch: a server makes a span per request, and past the bound a sample
 * keeps its stack and loses its link (counted).
 */
final class SpanLinkIds {
  static final int NONE = 0;
  static final int MAX_LINKS = 16_384;

  private final List<Map<SpanLink, Integer>> ids = List.of(new HashMap<>(), new HashMap<>());
  private final List<List<SpanLink>> links = List.of(new ArrayList<>(), new ArrayList<>());
  private long dropped;

  /** The link's id in this epoch; {@link #NONE} for null or past the bound. */
  synchronized int id(int epoch, SpanLink link) {
    if (link == null) {
      return NONE;
    }
    Integer id = ids.get(epoch).get(link);
    if (id != null) {
      return id;
    }
    List<SpanLink> epochLinks = links.get(epoch);
    if (epochLinks.size() >= MAX_LINKS) {
      dropped++;
      return NONE;
    }
    epochLinks.add(link);
    ids.get(epoch).put(link, epochLinks.size()); // ids from 1: 0 is none
    return epochLinks.size();
  }

  /** The span of an id of this epoch, null for {@link #NONE}. */
  synchronized SpanLink link(int epoch, int id) {
    return id == NONE ? null : links.get(epoch).get(id - 1);
  }

  /** Forgets an epoch's spans once its counts are drained. */
  synchronized void forget(int epoch) {
    ids.get(epoch).clear();
    links.get(epoch).clear();
  }

  /** Samples that lost their link to the bound. */
  synchronized long dropped() {
    return dropped;
  }
}
