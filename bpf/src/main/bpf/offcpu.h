/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between offcpu.bpf.c and io.jvmebpf.agent.probe.offcpu (OffCpuLayouts). */
#ifndef JVM_EBPF_OFFCPU_H
#define JVM_EBPF_OFFCPU_H

#include "scope.h"

#define OFFCPU_RINGBUF_BYTES (1024 * 1024)
#define OFFCPU_RUN_QUEUE_BUCKETS 40	/* log2 of nanoseconds, as the syscall histograms */
/*
 * How deep the user stack is walked at every switch-out: the native frames where the thread
 * blocked, and Java frames where frame pointers reach them. Deeper walks cost more on every
 * context switch; a long block takes its Java frames from the JVM (JFR) whatever the depth.
 */
#define OFFCPU_USER_DEPTH 32

/* The state of an off-CPU interval whose start the kernel did not see: blocked before start_ns. */
#define OFFCPU_STATE_UNKNOWN 0xffffffff

struct offcpu_config {
	struct scope scope;
	__u64 min_ns;		/* intervals at least this long are also sent as offcpu_event */
	__u64 start_ns;		/* CLOCK_MONOTONIC when accounting began: threads first seen later count from it */
};

/* Where a thread is; a thread first seen after start_ns was there since start_ns. */
enum offcpu_phase {
	PHASE_ON_CPU = 1,
	PHASE_RUN_QUEUE = 2,	/* runnable, waiting for a CPU: woken, preempted or yielding */
	PHASE_OFF_CPU = 3,	/* blocked: sleeping, waiting for a lock, I/O or a page */
	PHASE_ENDED = 4,	/* exited: its account waits for user space to read and remove it */
};

/*
 * What off-CPU time is summed by. Stack ids as in stacks.h: the user stack taken at switch-out,
 * the kernel stack where the thread slept, taken when the block ends, for blocks of at least
 * min_ns only (STACK_NONE for shorter ones, which the syscall tells apart): walking the kernel
 * stack at every context switch would cost more than the rest of the tracing together.
 */
struct offcpu_key {
	__u32 tid;		/* as the JVM sees it (see scope.h) */
	__u32 state;		/* the task state at switch-out (TASK_* bits), or OFFCPU_STATE_UNKNOWN */
	__s32 syscall;		/* the syscall it blocked in, or -1 (a page fault, or unknown) */
	__u32 unused;
	__u64 kernel_stack;
	__u64 user_stack;
};

struct offcpu_total {
	__u64 ns;
	__u64 intervals;
};

/*
 * Per thread, in `threads`: the interval under way, and where its time went from first_ns to
 * since_ns. One value, so that user space reads both at once: closed at the time it reads,
 * on + run queue + off CPU is the thread's wall time exactly.
 */
struct offcpu_thread {
	__u64 since_ns;		/* when the phase under way began; when it ended, for an ended thread */
	__u32 phase;		/* enum offcpu_phase, or PHASE_ENDED */
	__u32 unused;
	struct offcpu_key key;	/* of the off-CPU interval, while phase is PHASE_OFF_CPU */
	__u64 first_ns;		/* when the kernel began following it: start_ns, or its creation */
	__u64 exec_ns;		/* its CPU time (se.sum_exec_runtime) at since_ns, where known */
	__u64 on_cpu_ns;
	__u64 run_queue_ns;
	__u64 off_cpu_ns;
	__u64 run_queue_log2[OFFCPU_RUN_QUEUE_BUCKETS];	/* waits from runnable to running */
};

/* One per off-CPU interval of at least min_ns, for the join with the JVM's blocking events. */
struct offcpu_event {
	__u64 start_ns;		/* CLOCK_MONOTONIC */
	__u64 end_ns;
	struct offcpu_key key;
};

enum offcpu_counter {
	OFFCPU_KERNEL_STACKS_LOST,	/* kernel stacks not stored: the stack map was full */
	OFFCPU_USER_STACKS_LOST,	/* user stacks not stored, the same way */
	OFFCPU_KEYS_FULL,		/* intervals not summed by key: the totals map was full */
	OFFCPU_EVENTS_LOST,		/* offcpu_event not sent: ring buffer full */
	OFFCPU_THREADS_FULL,		/* scheduler events of threads the threads map had no room for */
	OFFCPU_OUT_OF_ORDER,		/* a switch-out not after a switch-in: the kernel did not trace one */
	OFFCPU_COUNTERS,
};

#endif
