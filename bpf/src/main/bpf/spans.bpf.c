// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Running totals per thread for span attribution: where the thread's time went (on CPU, in the
 * run queue, blocked interruptibly or not), its syscalls, socket bytes and page faults. Only
 * threads whose span hook claimed a slot are followed; the hook reads the slot, mapped into the
 * JVM's memory, at a span's start and end, so a span costs no syscall.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "spans.h"
#include "counters.h"
#include "pidns.h"

#ifndef BPF_F_MMAPABLE
#define BPF_F_MMAPABLE (1U << 10) /* the minimal vmlinux.h has no uapi enums */
#endif

const volatile struct spans_config cfg = {};

/* The JVM's tgid as the kernel numbers it, learnt from its first switch-out in a PID namespace. */
__u32 kernel_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, SPANS_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct span_thread);
} slots SEC(".maps");

/* tid (as the JVM sees it) -> its slot; written by user space when it claims one. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SPANS_MAX_THREADS);
	__type(key, __u32);
	__type(value, __u32);
} slot_of SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SPANS_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline struct span_thread *slot_for(__u32 tid)
{
	__u32 *index = bpf_map_lookup_elem(&slot_of, &tid);

	return index ? bpf_map_lookup_elem(&slots, index) : NULL;
}

/* The current task's slot, if it is a followed JVM thread. */
static __always_inline struct span_thread *current_slot(void)
{
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return NULL;
	return slot_for(tid);
}

/* The slot of `task`, not the current one: by its tgid, then its id as the JVM sees it. */
static __always_inline struct span_thread *task_slot(struct task_struct *task)
{
	__u32 tgid = cfg.scope.init_pidns ? cfg.scope.tgid : kernel_tgid;
	struct pid *pid;
	__u32 tid;

	if (!tgid || task->tgid != tgid)
		return NULL;
	if (cfg.scope.init_pidns) {
		tid = task->pid;
	} else {
		pid = task->thread_pid;
		tid = pid ? pid_at_level(pid, BPF_CORE_READ(pid, level)) : 0;
	}
	return tid ? slot_for(tid) : NULL;
}

/* Ends the phase under way at `now` and begins `phase`. */
static __always_inline void enter(struct span_thread *slot, __u32 phase, __u64 now)
{
	__u32 ended = slot->phase;

	if (ended < SPAN_PHASES)
		slot->phase_ns[ended] += now - slot->since_ns;
	slot->phase = phase;
	slot->since_ns = now;
}

/* args: (bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state) */
SEC("tp_btf/sched_switch")
int on_switch(__u64 *ctx)
{
	struct task_struct *next = (struct task_struct *)ctx[2];
	unsigned int prev_state = ctx[3];
	struct span_thread *slot;
	__u64 now = bpf_ktime_get_ns();
	__u32 tid;

	if (!cfg.scope.init_pidns && !kernel_tgid && in_scope(&cfg.scope, &tid))
		kernel_tgid = bpf_get_current_pid_tgid() >> 32;
	slot = current_slot();
	if (slot) {
		slot->switches++;
		// TASK_RUNNING is 0: preempted or yielding; TASK_UNINTERRUPTIBLE is 2.
		enter(slot, prev_state == 0 ? SPAN_RUN_QUEUE : (prev_state & 2) ? SPAN_DISK : SPAN_SLEEP, now);
	}
	slot = task_slot(next);
	if (slot)
		enter(slot, SPAN_ON_CPU, now);
	return 0;
}

/* args: (struct task_struct *p): a blocked thread becomes runnable. */
SEC("tp_btf/sched_wakeup")
int on_wakeup(__u64 *ctx)
{
	struct span_thread *slot = task_slot((struct task_struct *)ctx[0]);

	if (slot && (slot->phase == SPAN_SLEEP || slot->phase == SPAN_DISK))
		enter(slot, SPAN_RUN_QUEUE, bpf_ktime_get_ns());
	return 0;
}

SEC("raw_tp/sys_enter")
int on_syscall(void *ctx)
{
	struct span_thread *slot = current_slot();

	if (slot)
		slot->syscalls++;
	return 0;
}

/* args: (struct sock *sk, int ret, int flags): what sendmsg returned, for every socket write. */
SEC("tp_btf/sock_send_length")
int on_send(__u64 *ctx)
{
	struct span_thread *slot;
	int ret = (int)ctx[1];

	if (ret > 0 && (slot = current_slot()))
		slot->sent_bytes += ret;
	return 0;
}

/* args: (struct sock *sk, int ret, int flags): what recvmsg returned, for every socket read. */
SEC("tp_btf/sock_recv_length")
int on_receive(__u64 *ctx)
{
	struct span_thread *slot;
	int ret = (int)ctx[1];

	if (ret > 0 && (slot = current_slot()))
		slot->received_bytes += ret;
	return 0;
}

SEC("tp_btf/page_fault_user")
int on_fault(__u64 *ctx)
{
	struct span_thread *slot = current_slot();

	if (slot)
		slot->faults++;
	return 0;
}

/* The thread ends: its slot is free for user space to give to another, its tid for reuse. */
SEC("raw_tp/sched_process_exit")
int on_exit(void *ctx)
{
	struct span_thread *slot;
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	slot = slot_for(tid);
	if (!slot)
		return 0;
	bpf_map_delete_elem(&slot_of, &tid);
	slot->tid = 0;
	increment(&counters, SPANS_FREED);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
