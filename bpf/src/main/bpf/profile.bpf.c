// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CPU sampling of the host JVM: a perf_event program on every CPU's clock that, for the JVM's
 * threads only, records the kernel and user stacks and counts samples per (thread, kernel stack,
 * user stack), so user space reads counts rather than events. A small event per sample carries
 * its time, for the join with the JVM's own samples.
 *
 * Stacks are stored in a hash map under a 64-bit hash of their frames rather than in a
 * BPF_MAP_TYPE_STACK_TRACE map: that map has one stack per bucket, so a hot stack whose bucket an
 * earlier stack took is lost for good; here a stack is lost only when the map is full.
 *
 * The stack and count maps come in two pairs, and `epoch` says which one samples go to: user space
 * flips it, waits until the other pair is quiet, reads it and empties it. The maps hold the stacks
 * of one epoch, not of the whole run, so a long run does not fill them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "profile.h"
#include "counters.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

const volatile struct profile_config cfg = {};

#define STACK_MAP(name)								\
	struct {								\
		__uint(type, BPF_MAP_TYPE_HASH);				\
		__uint(max_entries, 8192); /* cpu.stacks= at load */		\
		__type(key, __u64);						\
		__type(value, struct stack_trace);				\
	} name SEC(".maps")

#define COUNT_MAP(name)								\
	struct {								\
		__uint(type, BPF_MAP_TYPE_HASH);				\
		__uint(max_entries, 16384);					\
		__type(key, struct sample_key);					\
		__type(value, __u64);						\
	} name SEC(".maps")

STACK_MAP(stacks0);
STACK_MAP(stacks1);
COUNT_MAP(counts0);
COUNT_MAP(counts1);

/* Index 0: the epoch samples go to, 0 or 1; written by user space only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} epoch SEC(".maps");

/* Where bpf_get_stack() writes: a stack is too big for the program's 512-byte stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stack_trace);
} scratch SEC(".maps");

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

/*
 * Stores the kernel stack (flags 0) or user stack (BPF_F_USER_STACK) under its hash in `stacks`
 * and returns the hash, or PROFILE_NO_STACK / PROFILE_STACK_LOST.
 */
static __always_inline __u64 store_stack(void *ctx, void *stacks, __u64 flags, __u32 lost_counter)
{
	struct stack_trace *trace;
	__u64 hash = FNV_OFFSET;
	__u32 zero = 0, i;

	trace = bpf_map_lookup_elem(&scratch, &zero);
	if (!trace)
		return PROFILE_NO_STACK;
	if (bpf_get_stack(ctx, trace->ips, sizeof(trace->ips), flags) <= 0)
		return PROFILE_NO_STACK;

	// bpf_get_stack zeroes the buffer past the stack, so the whole buffer is the value and the
	// hash; without a branch on the depth the loop costs the verifier one path, not 127. FNV-1a
	// over whole words only carries bits upwards: the shift folds the high bits back down.
	for (i = 0; i < PROFILE_MAX_DEPTH; i++) {
		hash ^= trace->ips[i];
		hash *= FNV_PRIME;
		hash ^= hash >> 32;
	}
	if (hash <= PROFILE_STACK_LOST)
		hash += 2; // the markers are not hashes

	// Usually there already: a lookup takes no lock. Otherwise an insert that fails without a
	// racing insert of the same stack means the map is full.
	if (bpf_map_lookup_elem(stacks, &hash))
		return hash;
	if (bpf_map_update_elem(stacks, &hash, trace, BPF_NOEXIST) && !bpf_map_lookup_elem(stacks, &hash)) {
		increment(&counters, lost_counter);
		return PROFILE_STACK_LOST;
	}
	return hash;
}

/* Records the sample's stacks in `stacks` and counts it in `counts`: one epoch's pair of maps. */
static __always_inline void record(void *ctx, struct sample_key *key, void *stacks, void *counts)
{
	__u64 one = 1, *samples;

	key->kernel_stack = store_stack(ctx, stacks, 0, PROFILE_KERNEL_STACKS_LOST);
	key->user_stack = store_stack(ctx, stacks, BPF_F_USER_STACK, PROFILE_USER_STACKS_LOST);

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
