// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Thread lifecycle of the host JVM for the agent's thread registry: a ring-buffer event per
 * exiting thread with its last name (comm), since /proc/self/task/TID vanishes with it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "threads.h"
#include "counters.h"

const volatile struct threads_config cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, THREADS_RINGBUF_BYTES);
} thread_exits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_exits SEC(".maps");

SEC("raw_tp/sched_process_exit")
int thread_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct thread_exit_event *e;
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	// Ring buffer full: count it so the report can say how many names were lost.
	e = bpf_ringbuf_reserve(&thread_exits, sizeof(*e), 0);
	if (!e) {
		increment(&lost_exits, 0);
		return 0;
	}
	e->tid = tid;
	e->unused = 0;
	e->exit_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
