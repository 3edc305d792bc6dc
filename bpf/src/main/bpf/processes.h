/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between processes.bpf.c and io.jvmebpf.agent.probe.processes (ProcessLayouts). */
#ifndef JVM_EBPF_PROCESSES_H
#define JVM_EBPF_PROCESSES_H

#include "scope.h"

#define PROCESSES_RINGBUF_BYTES (256 * 1024)
#define PROCESSES_ARGV_BYTES 512	/* the start of the command line: NUL-separated arguments */

struct processes_config {
	struct scope scope;
};

/* A child of the JVM under way, in `children` under its kernel pid; the ids are as the JVM sees them. */
struct child_process {
	__u32 pid;		/* what Process.pid() says */
	__u32 tid;		/* the JVM thread that forked it */
	__u64 start_ns;		/* CLOCK_MONOTONIC, at fork */
	__u32 argv_bytes;	/* of argv, at its last exec; 0: it has not exec'd */
	__u32 unused;
	char argv[PROCESSES_ARGV_BYTES];
};

/* Sent when a child's last thread exits: the process is over (a zombie until the JVM reaps it). */
struct child_exit_event {
	__u64 end_ns;		/* CLOCK_MONOTONIC */
	__u64 cpu_ns;		/* on-CPU time of all its threads (not of its own children) */
	__u32 status;		/* as wait(2) gives it: exit code << 8, or the signal (| 0x80: core) */
	__u32 unused;
	struct child_process child;
};

enum processes_counter {
	PROCESSES_CHILDREN_FULL,	/* children not followed: the children map was full */
	PROCESSES_EXITS_LOST,		/* child_exit_event not sent: ring buffer full */
	PROCESSES_COUNTERS,
};

#endif
