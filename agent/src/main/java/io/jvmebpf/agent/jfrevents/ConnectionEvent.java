package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.report.Connection;
import io.jvmebpf.agent.threads.ThreadIdentity;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * A TCP connection of the JVM, committed when the kernel freed its socket, with what it moved
 * over its whole life: the fields of a row of {@code connections} in {@code summary.json}. The
 * kernel sends a connection up once, whole, at its end, so its opening is the {@code Opened At}
 * field; connections still open are in the report only.
 */
@Name(KernelEvents.PREFIX + "Connection")
@Label("TCP Connection")
@Category({KernelEvents.CATEGORY, "Network"})
@Description("A TCP connection of the JVM, from its opening to its close, with the bytes each way")
@StackTrace(false)
@Registered(false)
public final class ConnectionEvent extends ThreadEvent {
  @Label("Local")
  String local;

  @Label("Remote")
  String remote;

  @Label("Origin")
  @Description("connect, accept, or existing (first seen in use: opened before the agent started)")
  String origin;

  @Label("Opened At")
  @Description("0 when opened before the agent started")
  @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
  long openedAt;

  @Label("Closed At")
  @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
  long closedAt;

  @Label("Bytes Sent")
  @DataAmount
  long bytesSent;

  @Label("Bytes Received")
  @DataAmount
  long bytesReceived;

  @Label("Sends")
  long sends;

  @Label("Receives")
  long receives;

  @Label("Retransmitted Segments")
  long retransmits;

  @Label("Resets Sent")
  long resetsSent;

  @Label("Resets Received")
  long resetsReceived;

  @Label("Smoothed RTT")
  @Timespan(Timespan.MICROSECONDS)
  long srtt;

  @Label("End")
  @Description("closed, reset, refused or failed")
  String state;

  @Label("Stack")
  @Description("Where the thread that connected (or first served it) was then, leaf first")
  String stack;

  /** @param who the connection's thread: its connector, or the first to serve it */
  public void send(ThreadIdentity who, Connection c) {
    thread(who);
    local = endpoint(c.local());
    remote = endpoint(c.remote());
    origin = c.origin();
    openedAt = c.startedAt() == null ? 0 : c.startedAt().toEpochMilli();
    closedAt = c.endedAt() == null ? 0 : c.endedAt().toEpochMilli();
    bytesSent = c.bytesSent();
    bytesReceived = c.bytesReceived();
    sends = c.sends();
    receives = c.receives();
    retransmits = c.retransmits();
    resetsSent = c.resetsSent();
    resetsReceived = c.resetsReceived();
    srtt = c.srttUs() == null ? 0 : c.srttUs();
    state = c.state();
    stack = StackText.leafFirstLabels(c.stack());
    commit();
  }

  private static String endpoint(Connection.Endpoint e) {
    if (e == null) {
      return "";
    }
    return (e.address().indexOf(':') >= 0 ? "[" + e.address() + "]" : e.address()) + ":" + e.port();
  }
}
