/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between profile.bpf.c and io.jvmebpf.agent.probe.cpu.CpuProbe. */
#ifndef JVM_EBPF_PROFILE_H
#define JVM_EBPF_PROFILE_H

#include "scope.h"

/* The deepest stack the kernel's perf callchain walks by default (kernel.perf_event_max_stack). */
#define PROFILE_MAX_DEPTH 127
#define PROFILE_RINGBUF_BYTES (256 * 1024)

struct profile_config {
	struct scope scope;
};

/*
 * What samples are counted by. A stack id is an index into the epoch's `stacks` map, or a
 * negative errno from bpf_get_stackid: -EFAULT (no such stack: no kernel stack for a sample taken
 * in user mode), -EEXIST (the stack's hash bucket holds another stack: counted, frames lost).
 */
struct sample_key {
	__u32 tid;		/* as the JVM sees it (see scope.h) */
	__s32 kernel_stack;
	__s32 user_stack;
	__u32 epoch;		/* which pair of maps: stacks0/counts0 or stacks1/counts1 */
};

/* One per sample, for joining it with the JVM's own sample of the same thread nearest in time. */
struct sample_event {
	__u64 time_ns;		/* CLOCK_MONOTONIC, System.nanoTime()'s clock */
	struct sample_key key;
};

enum profile_counter {
	PROFILE_SAMPLES,		/* samples of the JVM's threads */
	PROFILE_KERNEL_COLLISIONS,	/* kernel stacks lost to a stack-map bucket collision */
	PROFILE_USER_COLLISIONS,	/* user stacks lost the same way */
	PROFILE_KEYS_FULL,		/* samples not counted: sample_counts full */
	PROFILE_EVENTS_LOST,		/* sample_event not sent: ring buffer full */
	PROFILE_COUNTERS,
};

#endif
