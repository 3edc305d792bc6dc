/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between threads.bpf.c and io.jvmebpf.agent.threads.ThreadExits. */
#ifndef JVM_EBPF_THREADS_H
#define JVM_EBPF_THREADS_H

#define THREADS_RINGBUF_BYTES (256 * 1024)

struct threads_config {
	__u32 tgid;
	__u32 unused;
};

/* Sent when a thread of the host JVM exits, so its name outlives /proc/self/task/TID. */
struct thread_exit_event {
	__u32 tid;
	__u32 unused;
	__u64 exit_ns;		/* CLOCK_MONOTONIC */
	char comm[16];
};

#endif
