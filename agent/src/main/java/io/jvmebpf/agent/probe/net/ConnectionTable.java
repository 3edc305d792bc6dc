package io.jvmebpf.agent.probe.net;

import io.jvmebpf.agent.report.Connection;
import io.jvmebpf.agent.report.NetworkInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The connections a report lists: the {@code max} heaviest (bytes both ways) one by one, every
 * other one summed, so that the memory is bounded and the totals exact whatever the workload.
 */
final class ConnectionTable {
  private static final Comparator<Connection> LIGHTEST_FIRST = Comparator.comparingLong(Connection::bytes);

  private final int max;
  private final PriorityQueue<Connection> kept;
  private long seen;
  private NetworkInfo.Other other = NetworkInfo.Other.NONE;

  ConnectionTable(int max) {
    this.max = max;
    this.kept = new PriorityQueue<>(LIGHTEST_FIRST);
  }

  /** A copy to add a report's open connections to, leaving this table as it was. */
  synchronized ConnectionTable copy() {
    ConnectionTable copy = new ConnectionTable(max);
    copy.kept.addAll(kept);
    copy.seen = seen;
    copy.other = other;
    return copy;
  }

  synchronized void add(Connection connection) {
    seen++;
    if (kept.size() < max) {
      kept.add(connection);
    } else if (connection.bytes() > kept.peek().bytes()) {
      other = other.plus(kept.poll());
      kept.add(connection);
    } else {
      other = other.plus(connection);
    }
  }

  /** Connections never listed one by one: the kernel could not follow them. */
  synchronized void addOther(NetworkInfo.Other unfollowed) {
    seen += unfollowed.connections();
    other = other.plus(unfollowed);
  }

  synchronized List<Connection> heaviestFirst() {
    List<Connection> sorted = new ArrayList<>(kept);
    sorted.sort(LIGHTEST_FIRST.reversed());
    return sorted;
  }

  synchronized NetworkInfo info() {
    return new NetworkInfo(max, seen, other);
  }
}
