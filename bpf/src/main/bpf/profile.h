/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between profile.bpf.c and io.jvmebpf.agent.probe.cpu (ProfileLayouts). */
#ifndef JVM_EBPF_PROFILE_H
#define JVM_EBPF_PROFILE_H

#include "scope.h"
#include "vthreads.h"

#define PROFILE_RINGBUF_BYTES (256 * 1024)

struct profile_config {
	struct scope scope;
};

/*
 * What samples are counted by. A stack id is the 64-bit hash of the stack's frames, its key in the
 * epoch's `stacks` map, or one of the STACK_NONE / STACK_LOST markers (stacks.h).
 */
struct sample_key {
	__u32 tid;		/* as the JVM sees it (see scope.h) */
	__u32 epoch;		/* which pair of maps: stacks0/counts0 or stacks1/counts1 */
	__u64 kernel_stack;
	__u64 user_stack;
	__u64 vthread;		/* the virtual thread mounted on the thread (Thread.threadId()), or 0 */
};

/* One per sample, for joining it with the JVM's own sample of the same thread nearest in time. */
struct sample_event {
	__u64 time_ns;		/* CLOCK_MONOTONIC, System.nanoTime()'s clock */
	struct sample_key key;
};

enum profile_counter {
	PROFILE_SAMPLES,		/* samples of the JVM's threads */
	PROFILE_KERNEL_STACKS_LOST,	/* kernel stacks not stored: the stack map was full */
	PROFILE_USER_STACKS_LOST,	/* user stacks not stored, the same way */
	PROFILE_KEYS_FULL,		/* samples not counted: the count map was full */
	PROFILE_EVENTS_LOST,		/* sample_event not sent: ring buffer full */
	PROFILE_COUNTERS,
};

#endif
