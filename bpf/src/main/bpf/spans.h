/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared between spans.bpf.c and io.jvmebpf.agent.spans (SpanLayouts): per-thread running totals
 * the span hook reads from its own memory, without a syscall, at a span's start and end.
 */
#ifndef JVM_EBPF_SPANS_H
#define JVM_EBPF_SPANS_H

#include "scope.h"

#define SPANS_MAX_THREADS 4096	/* slots: threads that ever opened a server or consumer span */

struct spans_config {
	struct scope scope;
};

enum span_phase {
	SPAN_ON_CPU = 0,
	SPAN_RUN_QUEUE = 1,	/* runnable, waiting for a CPU */
	SPAN_SLEEP = 2,		/* blocked interruptibly: sleep, park, a socket, a pipe */
	SPAN_DISK = 3,		/* blocked uninterruptibly: mostly disk I/O and page-ins */
	SPAN_PHASES = 4,
};

/*
 * One slot per thread, in `slots`, which user space maps into its memory. User space claims a
 * free slot (tid 0), fills it while the thread runs, then adds tid -> slot to `slot_of`; from then
 * on only the kernel writes it, and frees it at the thread's exit.
 *
 * The thread reads its own slot only while it runs, and the kernel writes it only while it does
 * not run (switched out, woken) or on its behalf (a syscall, a fault): a read that `switches`
 * shows was cut by a switch-out is read again. phase_ns[on CPU] plus the time since since_ns is
 * the thread's CPU time now.
 */
struct span_thread {
	__u64 switches;		/* switch-outs seen; a reader compares it before and after */
	__u32 tid;		/* as the JVM sees it; 0: free */
	__u32 phase;		/* enum span_phase under way */
	__u64 since_ns;		/* CLOCK_MONOTONIC when the phase under way began */
	__u64 phase_ns[SPAN_PHASES];
	__u64 syscalls;
	__u64 sent_bytes;
	__u64 received_bytes;
	__u64 faults;
	__u64 unused[5];	/* 128 bytes: two cache lines, no slot across a line of another */
};

enum spans_counter {
	SPANS_FREED,		/* slots freed at their thread's exit */
	SPANS_COUNTERS,
};

#endif
