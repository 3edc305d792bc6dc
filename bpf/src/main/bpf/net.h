/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between net.bpf.c and io.jvmebpf.agent.probe.net (NetLayouts). */
#ifndef JVM_EBPF_NET_H
#define JVM_EBPF_NET_H

#include "scope.h"

#define NET_RINGBUF_BYTES (512 * 1024)
#define NET_USER_DEPTH 32	/* frames of the user stack kept per connection */

struct net_config {
	struct scope scope;
};

/* One end of a connection or flow. */
struct net_address {
	__u8 addr[16];		/* IPv4: the first 4 bytes */
	__u16 port;		/* host order */
	__u16 family;		/* AF_INET or AF_INET6 */
};

/* How the JVM came to have a connection. */
enum net_origin {
	NET_ORIGIN_CONNECT = 1,	/* a thread of the JVM connected */
	NET_ORIGIN_ACCEPT = 2,	/* it reached one of the JVM's listening sockets */
	NET_ORIGIN_EXISTING = 3,	/* first seen sending or receiving: opened before the agent */
};

/*
 * A TCP connection of the JVM, in `connections` under its socket's address while it lives, then
 * sent whole through `closed` when its socket is freed. The counters are added to from several
 * CPUs at once (a sender and a receiver), hence atomically.
 */
struct connection {
	__u64 sk;		/* the socket's kernel address: the key */
	__u64 start_ns;		/* CLOCK_MONOTONIC at connect, at the SYN's arrival, or when first seen */
	__u64 end_ns;		/* at close; 0 while open */
	__u64 bytes_sent;
	__u64 bytes_received;
	__u64 user_stack;	/* stacks.h id: where `tid` was when it connected or first used it */
	__u32 sends;		/* calls that sent at least a byte */
	__u32 receives;		/* calls that received at least a byte */
	__u32 retransmits;	/* segments sent again: TCP's own count (tcp_sock.total_retrans) */
	__u32 resets_sent;
	__u32 resets_received;
	__u32 srtt_us;		/* smoothed round-trip time at the last state change or use */
	__u32 tid;		/* the thread that connected; for an accepted one, the first to use it */
	__u8 origin;		/* enum net_origin */
	__u8 state;		/* the TCP state now: TCP_CLOSE once ended */
	__u8 last_state;	/* the state it closed from (TCP_SYN_SENT: it never connected) */
	__u8 unused;
	struct net_address local;
	struct net_address remote;
};

/* A UDP flow: the JVM's datagrams to and from one remote endpoint (all zero: not connected). */
struct udp_flow {
	__u64 first_ns;
	__u64 last_ns;
	__u64 bytes_sent;
	__u64 bytes_received;
	__u64 datagrams_sent;
	__u64 datagrams_received;
	__u32 tid;		/* the first thread of the JVM that used it */
	__u32 unused;
};

/* Per thread of the JVM, in `threads` under its tid: TCP and UDP alike. */
struct net_thread {
	__u64 bytes_sent;
	__u64 bytes_received;
	__u64 sends;
	__u64 receives;
	__u64 connections;	/* connected, or first used after being accepted */
};

/* What the maps could not hold, summed: connections not followed and their bytes. */
struct net_other {
	__u64 connections;
	__u64 bytes_sent;
	__u64 bytes_received;
	__u64 sends;
	__u64 receives;
	__u64 retransmits;
	__u64 resets;
};

/* The key of a listening socket of the JVM: its network namespace and port. */
struct net_listener {
	__u32 netns;
	__u32 port;
};

enum net_counter {
	NET_CONNECTIONS_FULL,	/* connects and accepts not followed: `connections` was full (in net_other) */
	NET_CLOSED_LOST,	/* closed connections not sent: ring buffer full (in net_other) */
	NET_THREADS_FULL,	/* calls not counted per thread: `threads` was full */
	NET_FLOWS_FULL,		/* datagrams not counted per flow: `udp_flows` was full */
	NET_LISTENERS_FULL,	/* listening sockets not followed: their connections are "existing" */
	NET_USER_STACKS_LOST,	/* connections without a stack: `stacks` was full */
	NET_COUNTERS,
};

#endif
