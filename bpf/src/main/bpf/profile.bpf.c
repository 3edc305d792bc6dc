// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CPU sampling of the host JVM: a perf_event program on every CPU's clock that, for the JVM's
 * threads only, records the kernel and user stacks and counts samples per (thread, kernel stack,
 * user stack), so user space reads counts rather than events. A small event per sample carries
 * its time, for the join with the JVM's own samples.
 *
 * The stack and count maps come in two pairs, and `epoch` says which one samples go to: user space
 * flips it, waits until the other pair is quiet, reads it and empties it. The maps hold the stacks
 * of one epoch, not of the whole run, so a long run does not fill them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "profile.h"
#include "counters.h"
#include "stacks.h"

const volatile struct profile_config cfg = {};

#define COUNT_MAP(name)								\
	struct {								\
		__uint(type, BPF_MAP_TYPE_HASH);				\
		__uint(max_entries, 16384);					\
		__type(key, struct sample_key);					\
		__type(value, __u64);						\
	} name SEC(".maps")

STACK_MAP(stacks0, 8192); /* cpu.stacks= at load */
STACK_MAP(stacks1, 8192);
COUNT_MAP(counts0);
COUNT_MAP(counts1);

/* Index 0: the epoch samples go to, 0 or 1; written by user space only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} epoch SEC(".maps");

STACK_SCRATCH(scratch);

/* Carrier tid modulo VTHREAD_SLOTS -> the virtual thread it runs; written by the JVM only. */
VTHREAD_SLOTS_MAP(vthread_slots);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PROFILE_RINGBUF_BYTES);
} sample_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PROFILE_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Records the sample's stacks in `stacks` and counts it in `counts`: one epoch's pair of maps. */
static __always_inline void record(void *ctx, struct sample_key *key, void *stacks, void *counts)
{
	__u64 one = 1, *samples;

	key->kernel_stack = store_stack(ctx, stacks, &scratch, 0, STACK_MAX_DEPTH, &counters, PROFILE_KERNEL_STACKS_LOST);
	key->user_stack = store_stack(ctx, stacks, &scratch, BPF_F_USER_STACK, STACK_MAX_DEPTH, &counters, PROFILE_USER_STACKS_LOST);

	// Count in the kernel; a racing CPU may insert the same key between lookup and update.
	samples = bpf_map_lookup_elem(counts, key);
	if (samples) {
		__sync_fetch_and_add(samples, 1);
	} else if (bpf_map_update_elem(counts, key, &one, BPF_NOEXIST)) {
		samples = bpf_map_lookup_elem(counts, key);
		if (samples)
			__sync_fetch_and_add(samples, 1);
		else
			increment(&counters, PROFILE_KEYS_FULL);
	}
}

SEC("perf_event")
int sample(void *ctx)
{
	struct sample_key key = {};
	struct sample_event *event;
	__u32 zero = 0, *current;

	if (!in_scope(&cfg.scope, &key.tid))
		return 0;
	increment(&counters, PROFILE_SAMPLES);

	// A carrier running a virtual thread: the sample is the virtual thread's.
	key.vthread = mounted_vthread(&vthread_slots, key.tid);

	current = bpf_map_lookup_elem(&epoch, &zero);
	key.epoch = current && *current ? 1 : 0;
	if (key.epoch)
		record(ctx, &key, &stacks1, &counts1);
	else
		record(ctx, &key, &stacks0, &counts0);

	event = bpf_ringbuf_reserve(&sample_events, sizeof(*event), 0);
	if (!event) {
		increment(&counters, PROFILE_EVENTS_LOST);
		return 0;
	}
	event->time_ns = bpf_ktime_get_ns();
	event->key = key;
	bpf_ringbuf_submit(event, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
