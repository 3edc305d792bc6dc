// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Where the host JVM's threads spend their time, from the scheduler's own events: on a CPU, in the
 * run queue (runnable, waiting for a CPU) or off CPU (blocked), per thread; off-CPU time also per
 * (thread, state at switch-out, kernel stack, user stack), all summed here. User space reads the
 * sums, plus one event per interval of at least min_ns for the join with the JVM's own blocking
 * events (JFR), which name the Java frames the stack walk cannot.
 *
 * A thread's transitions: created (sched_process_fork: run queue begins); switched out (sched_switch, as prev: it is the current task) either
 * runnable (preempted or yielding: run queue) or blocked (off CPU, stacks taken now, while they are
 * the thread's own); woken (sched_wakeup, on any CPU: off CPU ends, run queue begins); switched in
 * (sched_switch, as next: run queue ends); exits (its last switch-out, dead). The scheduler orders
 * one task's transitions, so each thread's entry is written by one CPU at a time.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "offcpu.h"
#include "counters.h"
#include "log2.h"
#include "pidns.h"
#include "stacks.h"

const volatile struct offcpu_config cfg = {};

/* The JVM's tgid as the kernel numbers it (scope.h may know it by its namespace's id only). */
__u32 kernel_tgid = 0;

/*
 * Keyed by the kernel's thread id (task->pid), which a task keeps to its last switch-out; the id
 * the JVM sees is in the value (key.tid): in a PID namespace a thread loses its namespace ids
 * before it is switched out for the last time.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192); /* offcpu.threads= at load */
	__type(key, __u32);
	__type(value, struct offcpu_thread);
} threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct offcpu_key);
	__type(value, struct offcpu_total);
} totals SEC(".maps");

STACK_MAP(stacks, 8192); /* offcpu.stacks= at load */
STACK_SCRATCH(kernel_scratch);
STACK_SCRATCH(user_scratch);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, OFFCPU_RINGBUF_BYTES);
} intervals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OFFCPU_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Whether a task that is not the current one belongs to the JVM: its tgid, once known. */
static __always_inline bool jvm_task(struct task_struct *task)
{
	__u32 tgid = cfg.scope.init_pidns ? cfg.scope.tgid : kernel_tgid;

	return tgid && task->tgid == tgid;
}

/* A JVM task's thread id as the JVM sees it: in its own PID namespace, the deepest level. */
static __always_inline __u32 jvm_tid(struct task_struct *task)
{
	struct pid *pid;

	if (cfg.scope.init_pidns)
		return task->pid;
	pid = task->thread_pid;
	return pid ? pid_at_level(pid, BPF_CORE_READ(pid, level)) : 0; // none: released, exiting
}

/*
 * The syscall the current task is in, or -1. On x86-64 the entry code sets the saved rax to
 * -ENOSYS until the syscall returns, which an exception's entry does not: a page fault's orig_ax
 * holds its error code, which looks like a syscall number.
 */
static __always_inline __s32 current_syscall(void)
{
	struct pt_regs___x86 *x86 = (struct pt_regs___x86 *)bpf_task_pt_regs(bpf_get_current_task_btf());

	if (bpf_core_field_exists(x86->orig_ax))
		return (long)BPF_CORE_READ(x86, ax) == -38 ? (__s32)BPF_CORE_READ(x86, orig_ax) : -1;
	return BPF_CORE_READ((struct pt_regs___arm64 *)x86, syscallno);
}

/* The entry of `task`, a JVM thread, created as in `phase` since start_ns when first seen. */
static __always_inline struct offcpu_thread *thread_of(struct task_struct *task, __u32 phase)
{
	__u32 kernel_tid = task->pid;
	struct offcpu_thread *thread = bpf_map_lookup_elem(&threads, &kernel_tid);
	struct offcpu_thread fresh = {};

	if (thread)
		return thread;
	fresh.key.tid = jvm_tid(task);
	if (!fresh.key.tid)
		return NULL;
	fresh.since_ns = cfg.start_ns;
	fresh.first_ns = cfg.start_ns;
	fresh.phase = phase;
	fresh.key.state = OFFCPU_STATE_UNKNOWN;
	fresh.key.syscall = -1;
	if (bpf_map_update_elem(&threads, &kernel_tid, &fresh, BPF_NOEXIST))
		increment(&counters, OFFCPU_THREADS_FULL);
	return bpf_map_lookup_elem(&threads, &kernel_tid);
}

/*
 * Ends the off-CPU interval under way at `now`: summed by thread and key, sent when long, and
 * then with the kernel stack where `task` slept (NULL: not known, the task ran meanwhile).
 */
static __always_inline void end_off_cpu(struct offcpu_thread *state, struct task_struct *task, __u64 now)
{
	struct offcpu_total *total, fresh = {};
	struct offcpu_event *event;
	__u64 ns = now - state->since_ns;

	state->off_cpu_ns += ns;
	state->key.kernel_stack = STACK_NONE;
	if (ns >= cfg.min_ns && task)
		state->key.kernel_stack = store_task_stack(task, &stacks, &kernel_scratch, &counters,
							   OFFCPU_KERNEL_STACKS_LOST);
	// Threads of one key block on several CPUs at once: the sums are shared, hence atomic.
	total = bpf_map_lookup_elem(&totals, &state->key);
	if (!total)
		total = insert_missing(&totals, &state->key, &fresh, &counters, OFFCPU_KEYS_FULL);
	if (total) {
		__sync_fetch_and_add(&total->ns, ns);
		__sync_fetch_and_add(&total->intervals, 1);
	}
	if (ns < cfg.min_ns)
		return;
	event = bpf_ringbuf_reserve(&intervals, sizeof(*event), 0);
	if (!event) {
		increment(&counters, OFFCPU_EVENTS_LOST);
		return;
	}
	event->start_ns = state->since_ns;
	event->end_ns = now;
	event->key = state->key;
	bpf_ringbuf_submit(event, 0);
}

/*
 * The current task, a JVM thread, leaves its CPU: runnable, blocked, or dead. The kernel does not
 * trace every switch-in (a task picked again after it blocked, on some kernels): a switch-out not
 * after one splits the time since the last transition by the CPU time the thread used meanwhile.
 */
static __always_inline void switched_out(void *ctx, struct task_struct *task, bool preempt,
					 unsigned int state, __u64 now)
{
	struct offcpu_thread *thread = thread_of(task, PHASE_ON_CPU);
	__u64 exec = task->se.sum_exec_runtime, ran;

	if (!thread)
		return;
	if (thread->phase == PHASE_ON_CPU) {
		thread->on_cpu_ns += now - thread->since_ns;
	} else {
		increment(&counters, OFFCPU_OUT_OF_ORDER);
		ran = thread->exec_ns && exec > thread->exec_ns ? exec - thread->exec_ns : 0;
		if (ran > now - thread->since_ns)
			ran = now - thread->since_ns;
		thread->on_cpu_ns += ran;
		if (thread->phase == PHASE_RUN_QUEUE) {
			thread->run_queue_ns += now - thread->since_ns - ran;
		} else if (thread->phase == PHASE_OFF_CPU) {
			thread->since_ns += ran;
			end_off_cpu(thread, NULL, now);
		}
	}
	thread->since_ns = now;
	thread->exec_ns = exec;
	if (state & TASK_DEAD) {
		thread->phase = PHASE_ENDED;
		return;
	}
	// Preempted, or yielding: still runnable, whatever the state says (it may be on its way to
	// sleep, but the scheduler took the CPU first and it stays on the run queue).
	if (preempt || state == TASK_RUNNING) {
		thread->phase = PHASE_RUN_QUEUE;
		return;
	}
	thread->phase = PHASE_OFF_CPU;
	thread->key.state = state;
	thread->key.syscall = current_syscall();
	thread->key.kernel_stack = STACK_NONE; // until the block ends, if it is long
	thread->key.user_stack = store_user_stack(ctx, &stacks, &user_scratch, OFFCPU_USER_DEPTH, &counters,
						  OFFCPU_USER_STACKS_LOST);
}

/* A JVM thread gets a CPU: its wait in the run queue ends (or a block whose wake-up we missed). */
static __always_inline void switched_in(struct task_struct *task, __u64 now)
{
	struct offcpu_thread *thread = thread_of(task, PHASE_RUN_QUEUE);
	__u64 waited;

	if (!thread)
		return;
	if (thread->phase == PHASE_RUN_QUEUE) {
		waited = now - thread->since_ns;
		thread->run_queue_ns += waited;
		// Not a wait whose start was seen: no latency for the histogram.
		if (thread->since_ns != cfg.start_ns)
			thread->run_queue_log2[log2_bucket(waited, OFFCPU_RUN_QUEUE_BUCKETS)]++;
	} else if (thread->phase == PHASE_OFF_CPU) {
		end_off_cpu(thread, task, now);
	} else {
		increment(&counters, OFFCPU_OUT_OF_ORDER);
	}
	thread->phase = PHASE_ON_CPU;
	thread->since_ns = now;
	thread->exec_ns = task->se.sum_exec_runtime;
}

/* args: (bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state) */
SEC("tp_btf/sched_switch")
int on_switch(__u64 *ctx)
{
	bool preempt = ctx[0];
	struct task_struct *prev = (struct task_struct *)ctx[1];
	struct task_struct *next = (struct task_struct *)ctx[2];
	unsigned int prev_state = ctx[3];
	__u64 now = 0;
	__u32 tid;

	// In a PID namespace the JVM's kernel tgid is learnt from its first switch-out (prev is current).
	if (!cfg.scope.init_pidns && !kernel_tgid && in_scope(&cfg.scope, &tid))
		kernel_tgid = bpf_get_current_pid_tgid() >> 32;
	if (jvm_task(prev)) {
		now = bpf_ktime_get_ns();
		switched_out(ctx, prev, preempt, prev_state, now);
	}
	if (jvm_task(next))
		switched_in(next, now ? now : bpf_ktime_get_ns());
	return 0;
}

/* args: (struct task_struct *p) */
SEC("tp_btf/sched_wakeup")
int on_wakeup(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[0];
	struct offcpu_thread *thread;
	__u64 now;

	if (!jvm_task(task))
		return 0;
	// First seen here: blocked since before start, in a state the kernel did not show us.
	thread = thread_of(task, PHASE_OFF_CPU);
	if (!thread || thread->phase != PHASE_OFF_CPU)
		return 0; // woken while still on a CPU or runnable: nothing ends
	now = bpf_ktime_get_ns();
	end_off_cpu(thread, task, now);
	thread->phase = PHASE_RUN_QUEUE;
	thread->since_ns = now;
	thread->exec_ns = task->se.sum_exec_runtime;
	return 0;
}

/*
 * args: (struct task_struct *parent, struct task_struct *child): a new thread, runnable from now
 * on. Not sched_wakeup_new: that fires after the thread is on a run queue, where another CPU may
 * already run it.
 */
SEC("tp_btf/sched_process_fork")
int on_fork(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[1];
	struct offcpu_thread fresh = {};
	__u32 kernel_tid;

	if (!jvm_task(task))
		return 0;
	kernel_tid = task->pid;
	fresh.key.tid = jvm_tid(task);
	fresh.since_ns = bpf_ktime_get_ns();
	fresh.first_ns = fresh.since_ns;
	fresh.exec_ns = task->se.sum_exec_runtime;
	fresh.phase = PHASE_RUN_QUEUE;
	fresh.key.syscall = -1;
	// A reused tid starts afresh: the thread that had it ended (and was read, usually).
	if (bpf_map_update_elem(&threads, &kernel_tid, &fresh, BPF_ANY))
		increment(&counters, OFFCPU_THREADS_FULL);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
