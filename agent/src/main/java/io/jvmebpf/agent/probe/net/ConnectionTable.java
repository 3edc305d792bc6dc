package io.jvmebpf.agent.probe.net;

import io.jvmebpf.agent.report.Connection;
import io.jvmebpf.agent.report.NetworkInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The connections a report lists: the {@code max} heaviest (bytes both ways) one by one, every
 * other one summed, so that the memory is bounded and the totals exact whatever the workload. A
 * connection too light to be listed is summed from its figures alone, before anything is made of
 * it: once the table is full, most connections cost no allocation.
 */
final class ConnectionTable {
  private static final Comparator<Connection> LIGHTEST_FIRST = Comparator.comparingLong(Connection::bytes);

  private final int max;
  private final PriorityQueue<Connection> kept;
  private long seen;
  // The sums of network.other.
  private long connections;
  private long bytesSent;
  private long bytesReceived;
  private long sends;
  private long receives;
  private long retransmits;
  private long resets;

  ConnectionTable(int max) {
    this.max = max;
    this.kept = new PriorityQueue<>(LIGHTEST_FIRST);
  }

  /** A copy to add a report's open connections to, leaving this table as it was. */
  synchronized ConnectionTable copy() {
    ConnectionTable copy = new ConnectionTable(max);
    copy.kept.addAll(kept);
    copy.seen = seen;
    copy.sum(connections, bytesSent, bytesReceived, sends, receives, retransmits, resets);
    return copy;
  }

  /** Whether a connection of these bytes (both ways) would be listed, now. */
  synchronized boolean wouldList(long bytes) {
    return kept.size() < max || bytes > kept.peek().bytes();
  }

  synchronized void add(Connection connection) {
    seen++;
    if (kept.size() < max) {
      kept.add(connection);
      return;
    }
    Connection lighter = connection.bytes() > kept.peek().bytes() ? kept.poll() : connection;
    if (lighter != connection) {
      kept.add(connection);
    }
    sum(1, lighter.bytesSent(), lighter.bytesReceived(), lighter.sends(), lighter.receives(),
        lighter.retransmits(), lighter.resetsSent() + lighter.resetsReceived());
  }

  /** A connection not listed, by its figures. */
  synchronized void addUnlisted(long bytesSent, long bytesReceived, long sends, long receives, long retransmits,
      long resets) {
    seen++;
    sum(1, bytesSent, bytesReceived, sends, receives, retransmits, resets);
  }

  /** Connections never listed one by one: the kernel could not follow them. */
  synchronized void addOther(NetworkInfo.Other unfollowed) {
    seen += unfollowed.connections();
    sum(unfollowed.connections(), unfollowed.bytesSent(), unfollowed.bytesReceived(), unfollowed.sends(),
        unfollowed.receives(), unfollowed.retransmits(), unfollowed.resets());
  }

  private void sum(long connections, long bytesSent, long bytesReceived, long sends, long receives,
      long retransmits, long resets) {
    this.connections += connections;
    this.bytesSent += bytesSent;
    this.bytesReceived += bytesReceived;
    this.sends += sends;
    this.receives += receives;
    this.retransmits += retransmits;
    this.resets += resets;
  }

  synchronized List<Connection> heaviestFirst() {
    List<Connection> sorted = new ArrayList<>(kept);
    sorted.sort(LIGHTEST_FIRST.reversed());
    return sorted;
  }

  synchronized NetworkInfo info() {
    return new NetworkInfo(max, seen, other());
  }

  private NetworkInfo.Other other() {
    return new NetworkInfo.Other(connections, bytesSent, bytesReceived, sends, receives, retransmits, resets);
  }
}
