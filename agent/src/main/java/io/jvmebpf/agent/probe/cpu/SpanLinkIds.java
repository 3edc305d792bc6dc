package io.jvmebpf.agent.probe.cpu;

import io.jvmebpf.agent.otel.SpanLink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small ids for the spans samples were linked to, so that counts are split by an int rather than
 * by a record; for the whole session, as the profile is. Bounded at {@value #MAX_LINKS}: a
 * server makes a span per request, and past the bound a sample keeps its stack and loses its link
 * (counted).
 */
final class SpanLinkIds {
  static final int NONE = 0;
  static final int MAX_LINKS = 16_384;

  private final Map<SpanLink, Integer> ids = new HashMap<>();
  private final List<SpanLink> links = new ArrayList<>(List.of(new SpanLink(0, 0, 0))); // id 0: none
  private long dropped;

  /** The link's id; {@link #NONE} for null or past the bound. No allocation for a link seen before. */
  synchronized int id(SpanLink link) {
    if (link == null) {
      return NONE;
    }
    Integer id = ids.get(link);
    if (id != null) {
      return id;
    }
    if (links.size() > MAX_LINKS) {
      dropped++;
      return NONE;
    }
    links.add(link);
    ids.put(link, links.size() - 1);
    return links.size() - 1;
  }

  /** The span of an id, null for {@link #NONE}. */
  synchronized SpanLink link(int id) {
    return id == NONE ? null : links.get(id);
  }

  /** Samples that lost their link to the bound. */
  synchronized long dropped() {
    return dropped;
  }
}
