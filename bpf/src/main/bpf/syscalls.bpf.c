// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Per thread and per syscall of the host JVM: count, errors, total and max latency and a log2
 * latency histogram, aggregated here so user space reads one map instead of an event stream.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "syscalls.h"
#include "counters.h"
#include "log2.h"

const volatile struct syscalls_config cfg = {};

struct inflight {
	__u64 start_ns;		/* 0: not inside a traced syscall */
	__u64 nr;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCALL_INFLIGHT_MAX);
	__type(key, __u32);
	__type(value, struct inflight);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCALL_STATS_MAX);
	__type(key, struct syscall_key);
	__type(value, struct syscall_stats);
} stats SEC(".maps");

/* Carrier tid modulo VTHREAD_SLOTS -> the virtual thread it runs; written by the JVM only. */
VTHREAD_SLOTS_MAP(vthread_slots);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCALL_VTHREAD_STATS_MAX);
	__type(key, struct vthread_syscall_key);
	__type(value, struct vthread_syscall_stats);
} vthread_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OVERFLOW_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} overflows SEC(".maps");

static __always_inline bool traced(long nr)
{
	__u64 n = (__u64)nr;	/* unsigned: BPF has no signed division, and -1 becomes huge */

	if (n >= SYSCALL_NR_LIMIT)
		return false;
	return cfg.trace_all || (cfg.traced[n / 64] & (1ULL << (n % 64)));
}

/* args: (struct pt_regs *regs, long id) */
SEC("raw_tp/sys_enter")
int sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	long nr = (long)ctx->args[1];
	struct inflight fresh, *slot;
	__u64 now;
	__u32 tid;

	// Only the host JVM, only the syscalls asked for.
	if (!in_scope(&cfg.scope, &tid) || !traced(nr))
		return 0;
	// One slot per thread, rewritten in place: a hash update would take and free an element.
	now = bpf_ktime_get_ns();
	slot = bpf_map_lookup_elem(&inflight, &tid);
	if (slot) {
		slot->start_ns = now;
		slot->nr = nr;
		return 0;
	}
	fresh.start_ns = now;
	fresh.nr = nr;
	if (bpf_map_update_elem(&inflight, &tid, &fresh, BPF_NOEXIST))
		increment(&overflows, OVERFLOW_INFLIGHT_FULL);
	return 0;
}

/*
 * The call again under the virtual thread mounted on the thread, if any: a virtual thread does not
 * unmount inside a syscall, so the one mounted at its exit made it.
 */
static __always_inline void count_for_vthread(__u32 tid, __u32 nr, long ret, __u64 latency)
{
	struct vthread_syscall_key key = {};
	struct vthread_syscall_stats *s;

	key.vthread = mounted_vthread(&vthread_slots, tid);
	if (!key.vthread)
		return;
	key.nr = nr;
	s = bpf_map_lookup_elem(&vthread_stats, &key);
	if (!s) {
		struct vthread_syscall_stats zero = {};

		s = insert_missing(&vthread_stats, &key, &zero, &overflows, OVERFLOW_VTHREAD_STATS_FULL);
		if (!s)
			return;
	}
	// Mounted on one carrier at a time, a virtual thread's entries are never updated concurrently.
	s->count++;
	if (ret < 0 && (ret < -516 || ret > -512))
		s->errors++;
	s->total_ns += latency;
	if (latency > s->max_ns)
		s->max_ns = latency;
}

/* args: (struct pt_regs *regs, long ret) */
SEC("raw_tp/sys_exit")
int sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	long ret = (long)ctx->args[1];
	struct syscall_stats *s;
	struct inflight *start;
	struct syscall_key key;
	__u64 latency;
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	// Entered before we attached, or not traced: nothing to measure.
	start = bpf_map_lookup_elem(&inflight, &tid);
	if (!start || !start->start_ns)
		return 0;
	latency = bpf_ktime_get_ns() - start->start_ns;
	key.tid = tid;
	key.nr = start->nr;
	start->start_ns = 0;

	s = bpf_map_lookup_elem(&stats, &key);
	if (!s) {
		struct syscall_stats zero = {};

		s = insert_missing(&stats, &key, &zero, &overflows, OVERFLOW_STATS_FULL);
		if (!s)
			return 0;
	}
	// A thread is in one syscall at a time, so its own entries are never updated concurrently.
	s->count++;
	// -512..-516 are the kernel's restart codes: the call is retried or becomes EINTR, not failed.
	if (ret < 0 && (ret < -516 || ret > -512))
		s->errors++;
	s->total_ns += latency;
	if (latency > s->max_ns)
		s->max_ns = latency;
	s->latency_log2[log2_bucket(latency, SYSCALL_LATENCY_BUCKETS)]++;
	count_for_vthread(tid, key.nr, ret, latency);
	return 0;
}

/* A thread that ends inside exit(2) never returns: free its in-flight slot. */
SEC("raw_tp/sched_process_exit")
int thread_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	bpf_map_delete_elem(&inflight, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
