/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared between syscalls.bpf.c and its Java mirror io.jvmebpf.agent.probe.syscalls.SyscallLayouts:
 * change both together (the agent checks the map key/value sizes at load time).
 */
#ifndef JVM_EBPF_SYSCALLS_H
#define JVM_EBPF_SYSCALLS_H

#include "scope.h"
#include "vthreads.h"

#define SYSCALL_NR_LIMIT 1024		/* syscall numbers at or above are not traced */
#define SYSCALL_LATENCY_BUCKETS 40	/* log2(ns) buckets; the last holds everything >= 2^39 ns */
#define SYSCALL_STATS_MAX 16384		/* distinct (thread, syscall) pairs; syscalls.max= resizes */
#define SYSCALL_INFLIGHT_MAX 16384	/* threads inside a syscall at once */
#define SYSCALL_VTHREAD_STATS_MAX 16384	/* distinct (virtual thread, syscall) pairs */

/* The only global of the program: set by the agent before load, read-only after. */
struct syscalls_config {
	struct scope scope;	/* the host JVM: nothing else is traced */
	__u32 trace_all;	/* 1: every syscall; 0: only those set in traced[] */
	__u32 unused;
	__u64 traced[SYSCALL_NR_LIMIT / 64];
};

struct syscall_key {
	__u32 tid;
	__u32 nr;
};

struct syscall_stats {
	__u64 count;
	__u64 errors;		/* returned a negative errno */
	__u64 total_ns;
	__u64 max_ns;
	__u64 latency_log2[SYSCALL_LATENCY_BUCKETS];
};

/* Syscalls made by a virtual thread, whatever its carrier: also counted under the carrier in `stats`. */
struct vthread_syscall_key {
	__u64 vthread;
	__u32 nr;
	__u32 unused;
};

struct vthread_syscall_stats {
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 max_ns;
};

/* Indexes of the overflows array: events the bounded maps could not hold. */
enum syscall_overflow {
	OVERFLOW_STATS_FULL = 0,	/* a new (thread, syscall) pair found the stats map full */
	OVERFLOW_INFLIGHT_FULL = 1,	/* a syscall entry found the in-flight map full */
	OVERFLOW_VTHREAD_STATS_FULL = 2,	/* a new (virtual thread, syscall) pair found its map full */
	OVERFLOW_COUNT = 3,
};

#endif
