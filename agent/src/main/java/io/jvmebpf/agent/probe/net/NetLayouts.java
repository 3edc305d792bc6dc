package io.jvmebpf.agent.probe.net;

/** Byte layouts of net.h's structs, mirrored: {@code NetworkProbe} checks the sizes at load. */
final class NetLayouts {
  // struct net_address
  static final long ADDRESS_ADDR = 0;
  static final long ADDRESS_PORT = 16;
  static final long ADDRESS_FAMILY = 18;
  static final int ADDRESS_BYTES = 20;

  // struct connection
  static final long CONN_START_NS = 8;
  static final long CONN_END_NS = 16;
  static final long CONN_BYTES_SENT = 24;
  static final long CONN_BYTES_RECEIVED = 32;
  static final long CONN_USER_STACK = 40;
  static final long CONN_SENDS = 48;
  static final long CONN_RECEIVES = 52;
  static final long CONN_RETRANSMITS = 56;
  static final long CONN_RESETS_SENT = 60;
  static final long CONN_RESETS_RECEIVED = 64;
  static final long CONN_SRTT_US = 68;
  static final long CONN_TID = 72;
  static final long CONN_ORIGIN = 76;
  static final long CONN_STATE = 77;
  static final long CONN_LAST_STATE = 78;
  static final long CONN_LOCAL = 80;
  static final long CONN_REMOTE = 100;
  static final int CONN_BYTES = 120;

  // struct udp_flow
  static final long FLOW_FIRST_NS = 0;
  static final long FLOW_LAST_NS = 8;
  static final long FLOW_BYTES_SENT = 16;
  static final long FLOW_BYTES_RECEIVED = 24;
  static final long FLOW_DATAGRAMS_SENT = 32;
  static final long FLOW_DATAGRAMS_RECEIVED = 40;
  static final long FLOW_TID = 48;
  static final int FLOW_BYTES = 56;

  // struct net_thread
  static final long THREAD_BYTES_SENT = 0;
  static final long THREAD_BYTES_RECEIVED = 8;
  static final long THREAD_SENDS = 16;
  static final long THREAD_RECEIVES = 24;
  static final long THREAD_CONNECTIONS = 32;
  static final int THREAD_BYTES = 40;

  // struct net_other
  static final long OTHER_CONNECTIONS = 0;
  static final long OTHER_BYTES_SENT = 8;
  static final long OTHER_BYTES_RECEIVED = 16;
  static final long OTHER_SENDS = 24;
  static final long OTHER_RECEIVES = 32;
  static final long OTHER_RETRANSMITS = 40;
  static final long OTHER_RESETS = 48;
  static final int OTHER_BYTES = 56;

  static final int LISTENER_BYTES = 8;
  static final int AF_INET = 2;

  // enum net_origin
  static final int ORIGIN_CONNECT = 1;
  static final int ORIGIN_ACCEPT = 2;

  // enum net_counter
  static final int CONNECTIONS_FULL = 0;
  static final int CLOSED_LOST = 1;
  static final int THREADS_FULL = 2;
  static final int FLOWS_FULL = 3;
  static final int LISTENERS_FULL = 4;
  static final int USER_STACKS_LOST = 5;

  private NetLayouts() {}
}
