// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JVM's network: each TCP connection from connect or accept to close (bytes each way, calls,
 * retransmitted segments, resets, smoothed RTT, final state), UDP datagrams per remote endpoint,
 * and bytes per thread. Tracepoints only, no kprobes.
 *
 * Only sending and receiving (sock_send_length, sock_recv_length: 6.3+), connect and listen run
 * in the JVM's own threads, where the scope filter holds. A state change or a retransmit of an
 * established connection, a reset, or a SYN reaching a listener run wherever the packet is
 * handled, often in softirq on behalf of any task: those find the JVM's connections by their
 * socket, and an accepted connection by its listener, never by the current task.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "net.h"
#include "counters.h"
#include "stacks.h"

const volatile struct net_config cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096); /* net.max= at load */
	__type(key, __u64);
	__type(value, struct connection);
} connections SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct net_listener);
	__type(value, __u64); /* the listening socket */
} listeners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct net_address); /* the remote end */
	__type(value, struct udp_flow);
} udp_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct net_thread);
} threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, NET_RINGBUF_BYTES);
} closed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct net_other);
} other SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NET_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

STACK_MAP(stacks, 4096);
STACK_SCRATCH(user_scratch);

/* A fresh connection, built off the (512-byte) BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct connection);
} scratch SEC(".maps");

static __always_inline struct net_other *other_bucket(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&other, &zero);
}

/*
 * Both ends as the socket has them now. The local port is chosen after connect's SYN_SENT and
 * released before CLOSE is traced: a port of 0 leaves the one seen before.
 */
static __always_inline void read_ends(struct sock *sk, struct connection *c)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 port = BPF_CORE_READ(sk, __sk_common.skc_num);

	c->local.family = family;
	c->remote.family = family;
	if (port)
		c->local.port = port;
	c->remote.port = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET6) {
		BPF_CORE_READ_INTO(&c->local.addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&c->remote.addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	} else {
		BPF_CORE_READ_INTO(&c->local.addr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO(&c->remote.addr, sk, __sk_common.skc_daddr);
	}
}

/*
 * What TCP keeps of the connection itself: its smoothed RTT, and its count of segments sent again,
 * which is the kernel's own (RetransSegs counts the same way): a retransmitted skb can carry
 * several segments, and a retransmit can fail.
 */
static __always_inline void read_tcp(struct sock *sk, struct connection *c)
{
	struct tcp_sock *tcp = (struct tcp_sock *)sk;

	c->srtt_us = BPF_CORE_READ(tcp, srtt_us) >> 3;
	c->retransmits = BPF_CORE_READ(tcp, total_retrans);
}

static __always_inline bool is_inet(struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	return family == AF_INET || family == AF_INET6;
}

/* The thread's entry, made on its first use; NULL (counted) when the map is full. */
static __always_inline struct net_thread *thread_entry(__u32 tid)
{
	struct net_thread *thread = bpf_map_lookup_elem(&threads, &tid), fresh = {};

	return thread ? thread : insert_missing(&threads, &tid, &fresh, &counters, NET_THREADS_FULL);
}

/* Counts a connection a thread of the JVM connected or took up, for that thread. */
static __always_inline void count_for_thread(__u32 tid)
{
	struct net_thread *thread = thread_entry(tid);

	if (thread)
		thread->connections++;
}

/*
 * Starts following `sk`. Every field is written: the scratch entry holds the last connection
 * this CPU built. Returns the map's entry, or NULL when the map is full (then a connection seen
 * at connect or accept is counted as other; its bytes are, whatever its origin).
 */
static __always_inline struct connection *follow(void *ctx, struct sock *sk, __u8 origin, __u32 tid)
{
	__u64 key = (__u64)sk;
	struct net_other *rest;
	struct connection *c;
	__u32 zero = 0, i;

	c = bpf_map_lookup_elem(&scratch, &zero);
	if (!c)
		return NULL;
	for (i = 0; i < sizeof(*c) / 8; i++) {
		((__u64 *)c)[i] = 0;
		asm volatile("" ::: "memory"); // a loop, not a memset: BPF has none
	}
	c->sk = key;
	c->start_ns = origin == NET_ORIGIN_EXISTING ? 0 : bpf_ktime_get_ns();
	c->origin = origin;
	c->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	c->tid = tid;
	c->user_stack = STACK_NONE;
	read_ends(sk, c);
	if (bpf_map_update_elem(&connections, &key, c, BPF_NOEXIST) == 0) {
		c = bpf_map_lookup_elem(&connections, &key);
		// The stack only now: a full map must not cost a stack walk per call.
		if (c && tid) {
			c->user_stack = store_user_stack(ctx, &stacks, &user_scratch, NET_USER_DEPTH,
							 &counters, NET_USER_STACKS_LOST);
			count_for_thread(tid);
		}
		return c;
	}
	c = bpf_map_lookup_elem(&connections, &key); // another CPU got there first
	if (c || origin == NET_ORIGIN_EXISTING)
		return c; // an existing one is tried at each call: counted as a connection it would be many
	increment(&counters, NET_CONNECTIONS_FULL);
	rest = other_bucket();
	if (rest)
		__sync_fetch_and_add(&rest->connections, 1);
	return NULL;
}

static __always_inline struct net_listener listener_of(struct sock *sk)
{
	struct net_listener key = {
		.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum),
		.port = BPF_CORE_READ(sk, __sk_common.skc_num),
	};

	return key;
}

/* Sends a closed connection to user space; what the ring cannot take is summed as other. */
static __always_inline void send_closed(struct connection *c)
{
	struct connection *e = bpf_ringbuf_reserve(&closed, sizeof(*e), 0);
	struct net_other *rest;

	if (e) {
		__builtin_memcpy(e, c, sizeof(*e));
		bpf_ringbuf_submit(e, 0);
		return;
	}
	increment(&counters, NET_CLOSED_LOST);
	rest = other_bucket();
	if (!rest)
		return;
	__sync_fetch_and_add(&rest->connections, 1);
	__sync_fetch_and_add(&rest->bytes_sent, c->bytes_sent);
	__sync_fetch_and_add(&rest->bytes_received, c->bytes_received);
	__sync_fetch_and_add(&rest->sends, c->sends);
	__sync_fetch_and_add(&rest->receives, c->receives);
	__sync_fetch_and_add(&rest->retransmits, c->retransmits);
	__sync_fetch_and_add(&rest->resets, c->resets_sent + c->resets_received);
}

/*
 * args: (const struct sock *sk, int oldstate, int newstate). connect's SYN_SENT and listen's
 * LISTEN run in the thread that asked; a listener's child is born (LISTEN -> SYN_RECV, a copy of
 * the listener) in whatever context the handshake's last ACK arrived.
 */
SEC("tp_btf/inet_sock_set_state")
int on_state(__u64 *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	int oldstate = (int)ctx[1], newstate = (int)ctx[2];
	struct net_listener listener;
	struct connection *c;
	__u64 key = (__u64)sk;
	__u64 *owner;
	__u32 tid;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP || !is_inet(sk))
		return 0;
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) {
		if (in_scope(&cfg.scope, &tid))
			follow(ctx, sk, NET_ORIGIN_CONNECT, tid);
		return 0;
	}
	if (newstate == TCP_LISTEN) {
		if (!in_scope(&cfg.scope, &tid))
			return 0;
		listener = listener_of(sk);
		if (bpf_map_update_elem(&listeners, &listener, &key, BPF_ANY))
			increment(&counters, NET_LISTENERS_FULL);
		return 0;
	}
	if (oldstate == TCP_LISTEN) {
		listener = listener_of(sk);
		owner = bpf_map_lookup_elem(&listeners, &listener);
		if (!owner)
			return 0;
		if (newstate == TCP_SYN_RECV)
			follow(ctx, sk, NET_ORIGIN_ACCEPT, 0);
		else if (newstate == TCP_CLOSE && *owner == key)
			bpf_map_delete_elem(&listeners, &listener);
		return 0;
	}
	c = bpf_map_lookup_elem(&connections, &key);
	if (!c)
		return 0;
	c->state = newstate;
	read_ends(sk, c);
	read_tcp(sk, c);
	if (newstate == TCP_CLOSE) {
		c->last_state = oldstate;
		c->end_ns = bpf_ktime_get_ns();
	}
	return 0;
}

/*
 * args: (struct sock *sk): the socket is freed. A closed connection is sent from here, not at
 * CLOSE: what the application reads after the peer's FIN or a TIME_WAIT still counts, and the
 * socket's address is free for another connection only now.
 */
SEC("tp_btf/tcp_destroy_sock")
int on_destroy(__u64 *ctx)
{
	__u64 key = ctx[0];
	struct connection *c = bpf_map_lookup_elem(&connections, &key);

	if (!c)
		return 0;
	read_tcp((struct sock *)ctx[0], c);
	if (!c->end_ns) { // freed without passing CLOSE
		c->last_state = c->state;
		c->state = TCP_CLOSE;
		c->end_ns = bpf_ktime_get_ns();
	}
	send_closed(c);
	bpf_map_delete_elem(&connections, &key);
	return 0;
}

/* The datagrams of a UDP socket, under its connected peer (or none). */
static __always_inline void count_datagram(struct sock *sk, __u32 tid, __u64 bytes, bool sent)
{
	struct net_address key = {};
	struct udp_flow *flow, fresh = {};

	key.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	key.port = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (key.family == AF_INET6)
		BPF_CORE_READ_INTO(&key.addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	else
		BPF_CORE_READ_INTO(&key.addr, sk, __sk_common.skc_daddr);
	flow = bpf_map_lookup_elem(&udp_flows, &key);
	if (!flow) {
		fresh.first_ns = bpf_ktime_get_ns();
		fresh.tid = tid;
		flow = insert_missing(&udp_flows, &key, &fresh, &counters, NET_FLOWS_FULL);
		if (!flow)
			return;
	}
	flow->last_ns = bpf_ktime_get_ns();
	if (sent) {
		__sync_fetch_and_add(&flow->bytes_sent, bytes);
		__sync_fetch_and_add(&flow->datagrams_sent, 1);
	} else {
		__sync_fetch_and_add(&flow->bytes_received, bytes);
		__sync_fetch_and_add(&flow->datagrams_received, 1);
	}
}

/* The bytes of one send or receive call of a JVM thread; always in that thread. */
static __always_inline void count_bytes(void *ctx, struct sock *sk, int ret, bool sent)
{
	struct net_thread *thread;
	struct net_other *rest;
	struct connection *c;
	__u64 key = (__u64)sk;
	__u16 protocol;
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid) || ret <= 0 || !is_inet(sk))
		return;
	protocol = BPF_CORE_READ(sk, sk_protocol);
	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)
		return;
	thread = thread_entry(tid);
	if (thread && sent) {
		thread->bytes_sent += ret;
		thread->sends++;
	} else if (thread) {
		thread->bytes_received += ret;
		thread->receives++;
	}
	if (protocol == IPPROTO_UDP) {
		count_datagram(sk, tid, ret, sent);
		return;
	}
	c = bpf_map_lookup_elem(&connections, &key);
	if (!c)
		c = follow(ctx, sk, NET_ORIGIN_EXISTING, tid);
	if (!c) {
		rest = other_bucket();
		if (rest && sent) {
			__sync_fetch_and_add(&rest->bytes_sent, ret);
			__sync_fetch_and_add(&rest->sends, 1);
		} else if (rest) {
			__sync_fetch_and_add(&rest->bytes_received, ret);
			__sync_fetch_and_add(&rest->receives, 1);
		}
		return;
	}
	if (!c->tid) {
		// An accepted connection's first user: the thread that serves it.
		c->tid = tid;
		c->user_stack = store_user_stack(ctx, &stacks, &user_scratch, NET_USER_DEPTH, &counters,
						 NET_USER_STACKS_LOST);
		count_for_thread(tid);
	}
	if (sent) {
		__sync_fetch_and_add(&c->bytes_sent, ret);
		__sync_fetch_and_add(&c->sends, 1);
	} else {
		__sync_fetch_and_add(&c->bytes_received, ret);
		__sync_fetch_and_add(&c->receives, 1);
	}
	read_tcp(sk, c);
}

/* args: (struct sock *sk, int ret, int flags): what sendmsg returned, for every socket write. */
SEC("tp_btf/sock_send_length")
int on_send(__u64 *ctx)
{
	count_bytes(ctx, (struct sock *)ctx[0], (int)ctx[1], true);
	return 0;
}

/* args: (struct sock *sk, int ret, int flags): what recvmsg returned, for every socket read. */
SEC("tp_btf/sock_recv_length")
int on_receive(__u64 *ctx)
{
	count_bytes(ctx, (struct sock *)ctx[0], (int)ctx[1], false);
	return 0;
}

/*
 * args: (const struct sock *sk, const struct sk_buff *skb[, int err]); often in softirq. The count
 * is TCP's own, read again here so that an open connection's is current at the report.
 */
SEC("tp_btf/tcp_retransmit_skb")
int on_retransmit(__u64 *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	__u64 key = ctx[0];
	struct connection *c = bpf_map_lookup_elem(&connections, &key);

	if (c)
		read_tcp(sk, c);
	return 0;
}

/* args: (const struct sock *sk, const struct sk_buff *skb[, reason]); sk may be NULL. */
SEC("tp_btf/tcp_send_reset")
int on_reset_sent(__u64 *ctx)
{
	__u64 key = ctx[0];
	struct connection *c = key ? bpf_map_lookup_elem(&connections, &key) : NULL;

	if (c)
		__sync_fetch_and_add(&c->resets_sent, 1);
	return 0;
}

/*
 * args: (struct sock *sk): a reset arrived; the state change to CLOSE follows. The ends are read
 * here too: a refused connect has its local port only between SYN_SENT and this reset.
 */
SEC("tp_btf/tcp_receive_reset")
int on_reset_received(__u64 *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	__u64 key = ctx[0];
	struct connection *c = bpf_map_lookup_elem(&connections, &key);

	if (!c)
		return 0;
	__sync_fetch_and_add(&c->resets_received, 1);
	read_ends(sk, c);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
