// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The host JVM's native memory: uprobes on its libc's allocator (malloc, calloc, realloc,
 * posix_memalign, aligned_alloc, memalign, free) and on the wrappers of the calls that give the
 * process memory (mmap, munmap, sbrk), and the page faults its threads take.
 *
 * Every call is counted per thread. A block is tracked, under its address with the caller's user
 * stack, with probability min(1, size / sample_bytes) and then stands for max(size, sample_bytes)
 * bytes: summed, an unbiased estimate of the bytes allocated and outstanding at each stack, as
 * heap profilers sample. The probes are attached to the JVM's own process only (uprobes filter by
 * process in the kernel); each checks the scope first all the same.
 *
 * x86-64: arguments and results are read from the user registers saved at the breakpoint.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "memory.h"
#include "counters.h"
#include "stacks.h"

const volatile struct memory_config cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MEMORY_THREADS_MAX);
	__type(key, __u32);
	__type(value, struct thread_memory);
} threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MEMORY_PENDING_MAX);
	__type(key, __u32);
	__type(value, struct pending_alloc);
} pending SEC(".maps");

/* Sized by the agent (nativemem.max=) before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct allocation);
} allocations SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MEMORY_SITES_MAX);
	__type(key, struct site_key);
	__type(value, struct alloc_site);
} sites SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MEMORY_FAULT_SITES_MAX);
	__type(key, struct site_key);
	__type(value, __u64);
} fault_sites SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MEMORY_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

STACK_MAP(stacks, MEMORY_STACKS_MAX);
STACK_SCRATCH(user_scratch);

/* Argument `n` (0-based) and the result of a call, from the user registers. */
static __always_inline __u64 arg(struct pt_regs___x86 *regs, int n)
{
	switch (n) {
	case 0:
		return BPF_CORE_READ(regs, di);
	case 1:
		return BPF_CORE_READ(regs, si);
	default:
		return BPF_CORE_READ(regs, dx);
	}
}

static __always_inline __u64 result(struct pt_regs___x86 *regs)
{
	return BPF_CORE_READ(regs, ax);
}

/*
 * An exited thread's entry taken by a new thread of the same id: its figures go on summing, and
 * its fault baseline moves so that the counters' delta keeps the first thread's part.
 */
static __always_inline void reused(struct thread_memory *t)
{
	struct task_struct *task = bpf_get_current_task_btf();

	if (t->faults) {
		t->min_flt_start = BPF_CORE_READ(task, min_flt) - (t->min_flt_end - t->min_flt_start);
		t->maj_flt_start = BPF_CORE_READ(task, maj_flt) - (t->maj_flt_end - t->maj_flt_start);
	}
	t->exited = 0;
}

/* A thread of the JVM's figures, made on its first call; NULL when the map is full. */
static __always_inline struct thread_memory *figures(__u32 tid)
{
	struct thread_memory *t, init = {};

	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		return insert_missing(&threads, &tid, &init, &counters, MEMORY_THREADS_FULL);
	if (t->exited)
		reused(t);
	return t;
}

/* The calling thread's figures; NULL outside the JVM or when the map is full. */
static __always_inline struct thread_memory *thread_of(__u32 *tid)
{
	return in_scope(&cfg.scope, tid) ? figures(*tid) : NULL;
}

/* Tracks a block of `size` bytes? Then the bytes it stands for, else 0. */
static __always_inline __u64 sample(__u64 size)
{
	__u64 rate = cfg.sample_bytes;

	if (rate <= 1 || size >= rate)
		return size;
	// Tracked with probability size / rate, standing for rate bytes: size bytes on average.
	return ((__u64)bpf_get_prandom_u32() * rate >> 32) < size ? rate : 0;
}

/*
 * Entry of an allocation call: counts it, and notes what its return needs, if anything. A call
 * made inside one being traced (glibc's realloc(NULL, n) and posix_memalign call malloc) was
 * counted by that one.
 */
static __always_inline int alloc_entry(__u32 fn, __u64 size, __u64 old, __u64 out)
{
	struct pending_alloc *outer, call = {};
	struct allocation *followed;
	struct thread_memory *t;
	__u32 tid;

	t = thread_of(&tid);
	if (!t)
		return 0;
	outer = bpf_map_lookup_elem(&pending, &tid);
	if (outer) {
		outer->depth++;
		return 0;
	}
	__sync_fetch_and_add(&t->alloc_calls, 1);
	__sync_fetch_and_add(&t->alloc_bytes, size);
	call.weight = sample(size);
	// An unfollowed malloc's return does not matter; the others may free a block (realloc) or
	// call malloc themselves (musl's calloc does), which must not count again.
	if (!call.weight && fn == MEMORY_FN_MALLOC)
		return 0;
	call.size = size;
	call.old = old;
	if (old) {
		followed = bpf_map_lookup_elem(&allocations, &old);
		if (followed)
			call.old_ns = followed->ns;
	}
	call.out = out;
	call.fn = fn;
	if (bpf_map_update_elem(&pending, &tid, &call, BPF_ANY))
		increment(&counters, MEMORY_PENDING_FULL);
	return 0;
}

/* Stops following `block`, freed (a block not followed is not in the map). */
static __always_inline void untrack(__u64 block)
{
	bpf_map_delete_elem(&allocations, &block);
}

/* Stops following `block` if it is still the one allocated at `ns`. */
static __always_inline void untrack_if(__u64 block, __u64 ns)
{
	struct allocation *a = bpf_map_lookup_elem(&allocations, &block);

	if (a && a->ns == ns)
		bpf_map_delete_elem(&allocations, &block);
}

/* Tracks `block` as the current thread's, at the caller's stack. */
static __always_inline void track(void *ctx, __u32 tid, __u64 block, struct pending_alloc *call)
{
	struct alloc_site *site, init = {};
	struct allocation a = {};
	struct site_key key = {};

	a.size = call->size;
	a.weight = call->weight;
	a.stack = store_user_stack(ctx, &stacks, &user_scratch, MEMORY_USER_DEPTH, &counters,
				   MEMORY_STACKS_LOST);
	a.ns = bpf_ktime_get_ns();
	a.tid = tid;
	if (bpf_map_update_elem(&allocations, &block, &a, BPF_ANY))
		increment(&counters, MEMORY_ALLOCATIONS_FULL);
	key.stack = a.stack;
	key.tid = tid;
	site = bpf_map_lookup_elem(&sites, &key);
	if (!site)
		site = insert_missing(&sites, &key, &init, &counters, MEMORY_SITES_FULL);
	if (site) {
		__sync_fetch_and_add(&site->allocations, 1);
		__sync_fetch_and_add(&site->bytes, a.weight);
	}
}

/* Return of an allocation call. */
static __always_inline int alloc_return(void *ctx)
{
	struct pt_regs___x86 *regs = ctx;
	struct pending_alloc *call;
	__u64 block;
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	call = bpf_map_lookup_elem(&pending, &tid);
	if (!call)
		return 0;
	if (call->depth) {
		call->depth--;
		return 0;
	}
	block = result(regs);
	if (call->fn == MEMORY_FN_POSIX_MEMALIGN) {
		// Returns 0 (an int) and the block in *out, or an error number.
		if ((int)block || bpf_probe_read_user(&block, sizeof(block), (void *)call->out))
			block = 0;
	}
	// realloc moved or freed its block: the old one is gone (it failed if it returned NULL for a
	// size other than 0, and the old block stays). Freed inside realloc, its address may already
	// be another thread's new block: only the entry realloc saw at its entry goes.
	if (call->old_ns && (block || !call->size))
		untrack_if(call->old, call->old_ns);
	if (block && call->weight)
		track(ctx, tid, block, call);
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

SEC("uprobe")
int malloc_entry(struct pt_regs___x86 *regs)
{
	return alloc_entry(MEMORY_FN_MALLOC, arg(regs, 0), 0, 0);
}

/* aligned_alloc and memalign: the size is the second argument. */
SEC("uprobe")
int aligned_entry(struct pt_regs___x86 *regs)
{
	return alloc_entry(MEMORY_FN_ALIGNED, arg(regs, 1), 0, 0);
}

SEC("uprobe")
int calloc_entry(struct pt_regs___x86 *regs)
{
	__u64 n = arg(regs, 0), each = arg(regs, 1), size = n * each;

	// An overflowing product fails the call: it asked for nothing it got. (The barrier keeps the
	// compiler from turning the check into a 128-bit multiply, which BPF has not.)
	asm volatile("" : "+r"(size));
	if (each && size / each != n)
		size = 0;
	return alloc_entry(MEMORY_FN_CALLOC, size, 0, 0);
}

SEC("uprobe")
int realloc_entry(struct pt_regs___x86 *regs)
{
	return alloc_entry(MEMORY_FN_REALLOC, arg(regs, 1), arg(regs, 0), 0);
}

SEC("uprobe")
int posix_memalign_entry(struct pt_regs___x86 *regs)
{
	return alloc_entry(MEMORY_FN_POSIX_MEMALIGN, arg(regs, 2), 0, arg(regs, 0));
}

SEC("uretprobe")
int alloc_exit(struct pt_regs___x86 *regs)
{
	return alloc_return(regs);
}

SEC("uprobe")
int free_entry(struct pt_regs___x86 *regs)
{
	struct pending_alloc *call;
	struct thread_memory *t;
	__u64 block;
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	block = arg(regs, 0);
	if (!block)
		return 0;
	// realloc(ptr, 0) frees ptr through free: counted and untracked by realloc's return.
	call = bpf_map_lookup_elem(&pending, &tid);
	if (call && call->fn == MEMORY_FN_REALLOC && call->old == block)
		return 0;
	// Untracked even when the thread map has no room for the thread's figures.
	untrack(block);
	t = figures(tid);
	if (t)
		__sync_fetch_and_add(&t->free_calls, 1);
	return 0;
}

/* Adds a call and its bytes to the calling thread's figures (mmap, munmap, sbrk). */
static __always_inline int count_call(__u64 *calls, __u64 *bytes, __u64 size)
{
	__sync_fetch_and_add(calls, 1);
	__sync_fetch_and_add(bytes, size);
	return 0;
}

SEC("uprobe")
int mmap_entry(struct pt_regs___x86 *regs)
{
	__u32 tid;
	struct thread_memory *t = thread_of(&tid);

	return t ? count_call(&t->mmap_calls, &t->mmap_bytes, arg(regs, 1)) : 0;
}

SEC("uprobe")
int munmap_entry(struct pt_regs___x86 *regs)
{
	__u32 tid;
	struct thread_memory *t = thread_of(&tid);

	return t ? count_call(&t->munmap_calls, &t->munmap_bytes, arg(regs, 1)) : 0;
}

/* Its increment is signed (the heap shrinks with a negative one): summed as two's complement. */
SEC("uprobe")
int sbrk_entry(struct pt_regs___x86 *regs)
{
	__u32 tid;
	struct thread_memory *t = thread_of(&tid);

	return t ? count_call(&t->brk_calls, (__u64 *)&t->brk_bytes, arg(regs, 0)) : 0;
}

/*
 * A page fault in user mode, before the kernel handles it: counted per thread and per stack of
 * the faulting code. Whether it was minor or major is known only after; the thread's own counters
 * (task_struct min_flt, maj_flt) tell, read here at the first fault and at the thread's exit.
 */
SEC("tp_btf/page_fault_user")
int on_fault(__u64 *ctx)
{
	struct task_struct *task;
	struct thread_memory *t;
	struct site_key key = {};
	__u64 *count, zero = 0;
	__u32 tid;

	t = thread_of(&tid);
	if (!t)
		return 0;
	if (__sync_fetch_and_add(&t->faults, 1) == 0) {
		task = bpf_get_current_task_btf();
		t->min_flt_start = BPF_CORE_READ(task, min_flt);
		t->maj_flt_start = BPF_CORE_READ(task, maj_flt);
	}
	key.stack = store_user_stack(ctx, &stacks, &user_scratch, MEMORY_USER_DEPTH, &counters,
				     MEMORY_STACKS_LOST);
	key.tid = tid;
	count = bpf_map_lookup_elem(&fault_sites, &key);
	if (!count)
		count = insert_missing(&fault_sites, &key, &zero, &counters, MEMORY_FAULT_SITES_FULL);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

/*
 * A thread's end: its call under way, if any, will not return (its tid may be reused), and its
 * fault counters can be read one last time.
 */
SEC("tp_btf/sched_process_exit")
int on_exit(__u64 *ctx)
{
	struct task_struct *task;
	struct thread_memory *t;
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	bpf_map_delete_elem(&pending, &tid);
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t || !t->faults)
		return 0;
	task = bpf_get_current_task_btf();
	t->min_flt_end = BPF_CORE_READ(task, min_flt);
	t->maj_flt_end = BPF_CORE_READ(task, maj_flt);
	t->exited = 1;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
