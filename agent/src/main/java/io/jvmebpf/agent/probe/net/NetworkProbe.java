package io.jvmebpf.agent.probe.net;

import static io.jvmebpf.agent.probe.net.NetLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.jvmebpf.agent.config.NetOptions;
import io.jvmebpf.agent.jfrevents.ConnectionEvent;
import io.jvmebpf.agent.jfrevents.Deferred;
import io.jvmebpf.agent.probe.PolledBpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.report.Connection;
import io.jvmebpf.agent.report.NetworkInfo;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.agent.report.ThreadNetwork;
import io.jvmebpf.agent.report.profile.FrameNames;
import io.jvmebpf.agent.report.profile.ProfileSpan;
import io.jvmebpf.agent.stacks.JavaSocketIndex;
import io.jvmebpf.agent.stacks.StackLayouts;
import io.jvmebpf.agent.stacks.StackResolver;
import io.jvmebpf.agent.threads.ThreadRegistry;
import io.jvmebpf.bpf.BpfMap;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.KernelRelease;
import io.jvmebpf.bpf.ProcessScope;
import io.jvmebpf.bpf.RingBuffer;
import io.jvmebpf.agent.profile.Frame;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JVM's network, from {@code net.bpf.c}: each TCP connection is sent through a ring buffer
 * when its socket is freed and kept in a bounded table; at the report the open ones, the UDP
 * flows and the per-thread totals are read from the kernel's maps.
 */
public final class NetworkProbe extends PolledBpfProbe {
  private static final int POLL_MS = 200;
  /** Open connections the kernel follows at least, whatever {@code net.max=} lists. */
  private static final int MIN_FOLLOWED = 1024;

  private final NetOptions options;
  private final ConnectionTable table;
  /** Connections that closed while a report read the open ones: they must not count twice. */
  private Set<String> closedDuringReport;
  private ThreadRegistry threads;
  private Deferred<Connection> toJfr;
  private JavaSocketIndex javaSockets;
  private StackResolver resolver;
  private ProfileSpan.Start clock;
  private RingBuffer closed;

  public NetworkProbe(NetOptions options) {
    super("net", POLL_MS);
    this.options = options;
    this.table = new ConnectionTable(options.max());
  }

  @Override
  public String name() {
    return "net";
  }

  /**
   * State changes and the socket's free stay attached: connections are keyed by the socket's
   * address, so a socket freed unseen would leave an entry that a new socket at that address
   * would be summed into. So a pause still sees connections open and close; the bytes, calls,
   * retransmits and resets of its time are not counted.
   */
  @Override
  protected boolean keptWhilePaused(String program) {
    return program.equals("on_state") || program.equals("on_destroy");
  }

  @Override
  protected long configSize() {
    return ProcessScope.BYTES; // struct net_config
  }

  @Override
  protected void configure(MemorySegment rodata, BpfObject object, ProbeContext context) {
    KernelRelease.current().require(6, 3, "the sock_send_length and sock_recv_length tracepoints, where bytes are counted");
    object.map("connections").setMaxEntries(Math.max(options.max(), MIN_FOLLOWED));
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("connections"), 8, CONN_BYTES);
    requireSize(object.map("scratch"), 4, CONN_BYTES);
    requireSize(object.map("udp_flows"), ADDRESS_BYTES, FLOW_BYTES);
    requireSize(object.map("threads"), 4, THREAD_BYTES);
    requireSize(object.map("other"), 4, OTHER_BYTES);
    requireSize(object.map("listeners"), LISTENER_BYTES, 8);
    requireSize(object.map("stacks"), 8, StackLayouts.STACK_BYTES);
    requireSize(object.map("user_scratch"), 4, StackLayouts.STACK_BYTES);
    requireSize(object.map("counters"), 4, 8);
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    threads = context.threads();
    javaSockets = context.javaSockets();
    clock = ProfileSpan.Start.now();
    resolver = new StackResolver(new BpfMap[] {object.map("stacks")}, context.symbols());
    toJfr = new Deferred<>(this::sendToJfr, Connection::tid, threads);
    closed = RingBuffer.open(object.map("closed"), this::onClosed);
    startPolling("net", closed, toJfr::releaseDue, context.log());
  }

  /** A closed connection as a JFR event, once its thread has its Java name. */
  private void sendToJfr(Connection c) {
    ConnectionEvent event = new ConnectionEvent();
    if (event.shouldCommit()) {
      event.send(threads.identify(c.tid()), c);
    }
  }

  private void onClosed(MemorySegment event) {
    if (event.byteSize() < CONN_BYTES) {
      return;
    }
    Set<String> during = closedDuringReport;
    if (during != null) {
      during.add(identity(event));
    }
    if (new ConnectionEvent().shouldCommit()) {
      toJfr.hold(tcp(event));
    }
    long bytesSent = event.get(JAVA_LONG, CONN_BYTES_SENT);
    long bytesReceived = event.get(JAVA_LONG, CONN_BYTES_RECEIVED);
    if (table.wouldList(bytesSent + bytesReceived)) {
      table.add(tcp(event));
    } else {
      table.addUnlisted(bytesSent, bytesReceived, unsigned(event, CONN_SENDS), unsigned(event, CONN_RECEIVES),
          unsigned(event, CONN_RETRANSMITS), unsigned(event, CONN_RESETS_SENT) + unsigned(event, CONN_RESETS_RECEIVED));
    }
  }

  @Override
  protected void report(BpfObject object, ReportBuilder report) {
    // The open ones before the ring: one that closes in between is in both, and its close wins.
    List<MemorySegment> open = new ArrayList<>();
    object.map("connections").forEach((key, value) -> open.add(copy(value)));
    closedDuringReport = new HashSet<>();
    closed.consume();
    Set<String> closedMeanwhile = closedDuringReport;
    closedDuringReport = null;
    toJfr.releaseAll();
    ConnectionTable all = table.copy();
    for (MemorySegment connection : open) {
      if (!closedMeanwhile.contains(identity(connection))) {
        all.add(tcp(connection));
      }
    }
    object.map("udp_flows").forEach((key, value) -> all.add(udp(key, value)));
    all.addOther(other(object.map("other")));
    // Joined now, not when they closed: a thread's name, and JFR's events, come later.
    List<Connection> listed = all.heaviestFirst();
    listed.replaceAll(this::joined);
    report.connections(listed, all.info());
    object.map("threads").forEach((key, value) -> report.network(key.get(JAVA_INT, 0), new ThreadNetwork(
        value.get(JAVA_LONG, THREAD_BYTES_SENT), value.get(JAVA_LONG, THREAD_BYTES_RECEIVED),
        value.get(JAVA_LONG, THREAD_SENDS), value.get(JAVA_LONG, THREAD_RECEIVES),
        value.get(JAVA_LONG, THREAD_CONNECTIONS))));
    BpfMap counters = object.map("counters");
    report.dropped("net.connectionsMapFull", counters.counter(CONNECTIONS_FULL));
    report.dropped("net.closedEventsLost", counters.counter(CLOSED_LOST));
    report.dropped("net.closedEventsUnreadable", closed.handlerFailures());
    report.dropped("net.threadsMapFull", counters.counter(THREADS_FULL));
    report.dropped("net.udpFlowsMapFull", counters.counter(FLOWS_FULL));
    report.dropped("net.listenersMapFull", counters.counter(LISTENERS_FULL));
    report.dropped("net.userStacksLost", counters.counter(USER_STACKS_LOST));
    report.dropped("net.jvmSocketEventsDropped", javaSockets.dropped());
  }

  /**
   * Every thread's bytes and calls so far, read from the kernel's map now with lookups only: for
   * live metrics. Empty when the probe is not running.
   */
  public Map<Integer, ThreadNetwork> perThread() {
    BpfObject object = object();
    Map<Integer, ThreadNetwork> byThread = new HashMap<>();
    if (object != null) {
      object.map("threads").forEach((key, value) -> byThread.put(key.get(JAVA_INT, 0), new ThreadNetwork(
          value.get(JAVA_LONG, THREAD_BYTES_SENT), value.get(JAVA_LONG, THREAD_BYTES_RECEIVED),
          value.get(JAVA_LONG, THREAD_SENDS), value.get(JAVA_LONG, THREAD_RECEIVES),
          value.get(JAVA_LONG, THREAD_CONNECTIONS))));
    }
    return byThread;
  }

  private Connection joined(Connection c) {
    String name = c.tid() == 0 ? null : threads.identify(c.tid()).name();
    List<Frame> java = c.protocol().equals("tcp")
        ? javaSockets.heaviest(c.remote().address(), c.remote().port(), c.tid(), epochNanos(c.startedAt(), Long.MIN_VALUE),
            epochNanos(c.endedAt(), Long.MAX_VALUE))
        : null;
    return c.joined(name, java == null ? List.of() : FrameNames.leafFirst(java));
  }

  private static long epochNanos(Instant at, long none) {
    return at == null ? none : at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  private static MemorySegment copy(MemorySegment value) {
    return MemorySegment.ofArray(new long[CONN_BYTES / 8]).copyFrom(value.asSlice(0, CONN_BYTES));
  }

  /** A connection while it lives: its socket, and when it started (0 for one that predates us). */
  private static String identity(MemorySegment connection) {
    return connection.get(JAVA_LONG, 0) + "@" + connection.get(JAVA_LONG, CONN_START_NS);
  }

  private Connection tcp(MemorySegment c) {
    int tid = c.get(JAVA_INT, CONN_TID);
    long startNs = c.get(JAVA_LONG, CONN_START_NS);
    long endNs = c.get(JAVA_LONG, CONN_END_NS);
    long resetsSent = unsigned(c, CONN_RESETS_SENT);
    long resetsReceived = unsigned(c, CONN_RESETS_RECEIVED);
    int origin = c.get(JAVA_BYTE, CONN_ORIGIN);
    return new Connection(
        "tcp", endpoint(c.asSlice(CONN_LOCAL, ADDRESS_BYTES)), endpoint(c.asSlice(CONN_REMOTE, ADDRESS_BYTES)),
        origin == ORIGIN_CONNECT ? "connect" : origin == ORIGIN_ACCEPT ? "accept" : "existing",
        tid, null, stack(c.get(JAVA_LONG, CONN_USER_STACK)), List.of(),
        startNs == 0 ? null : clock.instant(startNs), endNs == 0 ? null : clock.instant(endNs),
        c.get(JAVA_LONG, CONN_BYTES_SENT), c.get(JAVA_LONG, CONN_BYTES_RECEIVED), unsigned(c, CONN_SENDS),
        unsigned(c, CONN_RECEIVES), unsigned(c, CONN_RETRANSMITS), resetsSent, resetsReceived,
        unsigned(c, CONN_SRTT_US),
        TcpState.outcome(c.get(JAVA_BYTE, CONN_STATE), c.get(JAVA_BYTE, CONN_LAST_STATE), resetsSent, resetsReceived));
  }

  private Connection udp(MemorySegment remote, MemorySegment flow) {
    int tid = flow.get(JAVA_INT, FLOW_TID);
    return new Connection(
        "udp", null, endpoint(remote), "datagrams", tid, null, List.of(), List.of(),
        clock.instant(flow.get(JAVA_LONG, FLOW_FIRST_NS)), clock.instant(flow.get(JAVA_LONG, FLOW_LAST_NS)),
        flow.get(JAVA_LONG, FLOW_BYTES_SENT), flow.get(JAVA_LONG, FLOW_BYTES_RECEIVED),
        flow.get(JAVA_LONG, FLOW_DATAGRAMS_SENT), flow.get(JAVA_LONG, FLOW_DATAGRAMS_RECEIVED), 0, 0, 0, null, null);
  }

  private static NetworkInfo.Other other(BpfMap map) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment o = arena.allocate(OTHER_BYTES, 8);
      if (!map.lookup(arena.allocate(JAVA_INT), o)) {
        return NetworkInfo.Other.NONE;
      }
      return new NetworkInfo.Other(
          o.get(JAVA_LONG, OTHER_CONNECTIONS), o.get(JAVA_LONG, OTHER_BYTES_SENT),
          o.get(JAVA_LONG, OTHER_BYTES_RECEIVED), o.get(JAVA_LONG, OTHER_SENDS), o.get(JAVA_LONG, OTHER_RECEIVES),
          o.get(JAVA_LONG, OTHER_RETRANSMITS), o.get(JAVA_LONG, OTHER_RESETS));
    }
  }

  /** Leaf first; empty when none was taken. */
  private List<String> stack(long id) {
    return FrameNames.leafFirst(resolver.user(0, id).frames());
  }

  /** {@code *}:0 for a UDP socket with no peer. */
  static Connection.Endpoint endpoint(MemorySegment address) {
    int family = address.get(JAVA_SHORT, ADDRESS_FAMILY) & 0xffff;
    int port = address.get(JAVA_SHORT, ADDRESS_PORT) & 0xffff;
    byte[] bytes = address.asSlice(ADDRESS_ADDR, family == AF_INET ? 4 : 16).toArray(JAVA_BYTE);
    boolean none = port == 0;
    for (byte b : bytes) {
      none &= b == 0;
    }
    if (none) {
      return new Connection.Endpoint("*", 0);
    }
    try {
      // An IPv4-mapped IPv6 address (a dual-stack socket's IPv4 peer) comes back as IPv4.
      return new Connection.Endpoint(InetAddress.getByAddress(bytes).getHostAddress(), port);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes", e);
    }
  }

  private static long unsigned(MemorySegment segment, long offset) {
    return Integer.toUnsignedLong(segment.get(JAVA_INT, offset));
  }

  @Override
  protected void release() {
    if (closed != null) {
      closed.close();
    }
    if (resolver != null) {
      resolver.close();
    }
  }
}
