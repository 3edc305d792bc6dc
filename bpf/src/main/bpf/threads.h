/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between threads.bpf.c and io.jvmebpf.agent.threads.ThreadExitsProbe. */
#ifndef JVM_EBPF_THREADS_H
#define JVM_EBPF_THREADS_H

#include "scope.h"

#define THREADS_RINGBUF_BYTES (256 * 1024)

struct threads_config {
	struct scope scope;
};

/* Sent when a thread of the host JVM exits, so its name outlives /proc/self/task/TID. */
struct thread_exit_event {
	__u32 tid;		/* as the JVM sees it (see scope.h) */
	__u32 unused;
	__u64 exit_ns;		/* CLOCK_MONOTONIC */
	char comm[16];
};

#endif
