/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Stacks as the programs store them, shared by profile.bpf.c and offcpu.bpf.c and mirrored by
 * io.jvmebpf.agent.stacks (StackLayouts, StackResolver). Include after vmlinux.h, bpf_helpers.h
 * and counters.h.
 *
 * A stack is stored in a hash map under a 64-bit hash of its frames rather than in a
 * BPF_MAP_TYPE_STACK_TRACE map: that map has one stack per bucket, so a hot stack whose bucket an
 * earlier stack took is lost for good; here a stack is lost only when the map is full.
 */
#ifndef JVM_EBPF_STACKS_H
#define JVM_EBPF_STACKS_H

#include <bpf/bpf_core_read.h>

/* The deepest stack the kernel's perf callchain walks by default (kernel.perf_event_max_stack). */
#define STACK_MAX_DEPTH 127

/* Stack ids that are not a stack's hash. */
#define STACK_NONE 0	/* none: no kernel stack for a sample taken in user mode */
#define STACK_LOST 1	/* the stack map was full: counted, frames lost */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* A stack as bpf_get_stack() writes it, leaf first, zero after the last frame. */
struct stack_trace {
	__u64 ips[STACK_MAX_DEPTH];
};

#define STACK_MAP(name, entries)						\
	struct {								\
		__uint(type, BPF_MAP_TYPE_HASH);				\
		__uint(max_entries, entries);					\
		__type(key, __u64);						\
		__type(value, struct stack_trace);				\
	} name SEC(".maps")

/* Where bpf_get_stack() writes: a stack is too big for a program's 512-byte stack. */
#define STACK_SCRATCH(name)							\
	struct {								\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);			\
		__uint(max_entries, 1);						\
		__type(key, __u32);						\
		__type(value, struct stack_trace);				\
	} name SEC(".maps")

/* The hash of a stack's first `depth` frames. */
static __always_inline __u64 hash_frames(struct stack_trace *trace, __u32 depth)
{
	__u64 hash = FNV_OFFSET;
	__u32 i;

	// FNV-1a over whole words only carries bits upwards: the shift folds the high bits back down.
	for (i = 0; i < depth && i < STACK_MAX_DEPTH; i++) {
		hash ^= trace->ips[i];
		hash *= FNV_PRIME;
		hash ^= hash >> 32;
	}
	return hash;
}

/* Stores `trace` under `hash` in `stacks`; returns the hash, or STACK_LOST when the map is full. */
static __always_inline __u64 store_hashed(void *stacks, struct stack_trace *trace, __u64 hash,
					  void *counters, __u32 lost_counter)
{
	if (hash <= STACK_LOST)
		hash += 2; // the markers are not hashes

	// Usually there already: a lookup takes no lock. Otherwise an insert that fails without a
	// racing insert of the same stack means the map is full.
	if (bpf_map_lookup_elem(stacks, &hash))
		return hash;
	if (bpf_map_update_elem(stacks, &hash, trace, BPF_NOEXIST) && !bpf_map_lookup_elem(stacks, &hash)) {
		increment(counters, lost_counter);
		return STACK_LOST;
	}
	return hash;
}

/*
 * Stores the current task's kernel stack (flags 0) or user stack (BPF_F_USER_STACK), at most
 * `depth` frames, under its hash in `stacks` and returns the hash, or STACK_NONE / STACK_LOST
 * (then counted in slot `lost_counter` of `counters`). A walk costs per frame: a shallower one is
 * cheaper. `scratch` must only ever see one depth: the helper zeroes the buffer past the stack up
 * to `depth`, and the frames past `depth` must stay zero as they were.
 */
static __always_inline __u64 store_stack(void *ctx, void *stacks, void *scratch, __u64 flags,
					 __u32 depth, void *counters, __u32 lost_counter)
{
	struct stack_trace *trace;
	__u32 zero = 0;

	trace = bpf_map_lookup_elem(scratch, &zero);
	if (!trace)
		return STACK_NONE;
	if (depth > STACK_MAX_DEPTH)
		depth = STACK_MAX_DEPTH;
	// The helper zeroes the buffer past the stack, so the whole buffer is the value and the hash.
	if (bpf_get_stack(ctx, trace->ips, depth * sizeof(__u64), flags) <= 0)
		return STACK_NONE;
	return store_hashed(stacks, trace, hash_frames(trace, depth), counters, lost_counter);
}

/*
 * Like store_stack() for the kernel stack of `task`, a task that is not running: where it
 * sleeps. Its stack cannot change until it runs again, so it can be taken when the sleep ends.
 */
static __always_inline __u64 store_task_stack(struct task_struct *task, void *stacks, void *scratch,
					      void *counters, __u32 lost_counter)
{
	struct stack_trace *trace;
	__u32 zero = 0;

	trace = bpf_map_lookup_elem(scratch, &zero);
	if (!trace)
		return STACK_NONE;
	if (bpf_get_task_stack(task, trace->ips, sizeof(trace->ips), 0) <= 0)
		return STACK_NONE;
	return store_hashed(stacks, trace, hash_frames(trace, STACK_MAX_DEPTH), counters, lost_counter);
}

/* How far above the stack pointer a frame pointer may point: a thread stack is smaller (Java's: 1 MiB). */
#define USER_STACK_SPAN (64ULL << 20)

/*
 * Like store_stack(ctx, ..., BPF_F_USER_STACK, depth, ...) for the current task in a syscall,
 * walked here rather than by the kernel's perf walk: that one reads wherever the frame pointer
 * points, and code without frame pointers (libc's syscall wrappers, the JIT's code) leaves a value
 * there whose read faults, at the cost of an exception per walk. This walk reads only frames that
 * lie on the stack above the stack pointer, each above the last. x86-64 only: elsewhere, the
 * kernel's walk.
 */
static __always_inline __u64 store_user_stack(void *ctx, void *stacks, void *scratch, __u32 depth,
					      void *counters, __u32 lost_counter)
{
	struct pt_regs___x86 *regs;
	struct stack_trace *trace;
	__u64 frame[2], fp, sp;
	__u32 zero = 0, i, n;

	if (!bpf_core_field_exists(((struct pt_regs___x86 *)0)->bp))
		return store_stack(ctx, stacks, scratch, BPF_F_USER_STACK, depth, counters, lost_counter);
	trace = bpf_map_lookup_elem(scratch, &zero);
	if (!trace)
		return STACK_NONE;
	if (depth > STACK_MAX_DEPTH)
		depth = STACK_MAX_DEPTH;
	regs = (struct pt_regs___x86 *)bpf_task_pt_regs(bpf_get_current_task_btf());
	trace->ips[0] = BPF_CORE_READ(regs, ip);
	sp = BPF_CORE_READ(regs, sp);
	fp = BPF_CORE_READ(regs, bp);
	if (!trace->ips[0])
		return STACK_NONE;
	for (n = 1; n < depth && n < STACK_MAX_DEPTH; n++) {
		if (fp < sp || fp - sp > USER_STACK_SPAN || (fp & 7))
			break;
		if (bpf_probe_read_user(frame, sizeof(frame), (void *)fp) || !frame[1])
			break;
		trace->ips[n] = frame[1];
		if (frame[0] <= fp) {
			n++; // the root frame: its saved frame pointer is 0
			break;
		}
		sp = fp;
		fp = frame[0];
	}
	// The value is the whole buffer: what an earlier, deeper walk left must go.
	for (i = n; i < depth && i < STACK_MAX_DEPTH; i++) {
		trace->ips[i] = 0;
		asm volatile("" ::: "memory"); // a loop, not a memset: BPF has none
	}
	return store_hashed(stacks, trace, hash_frames(trace, depth), counters, lost_counter);
}

#endif
