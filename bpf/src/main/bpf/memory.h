/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared between memory.bpf.c and io.jvmebpf.agent.probe.memory (MemoryLayouts): change both
 * together (the agent checks the map key and value sizes at load time).
 */
#ifndef JVM_EBPF_MEMORY_H
#define JVM_EBPF_MEMORY_H

#include "scope.h"

#define MEMORY_THREADS_MAX 8192		/* threads with figures */
#define MEMORY_PENDING_MAX 4096		/* threads inside a sampled or nesting allocation call at once */
#define MEMORY_STACKS_MAX 16384		/* distinct user stacks of allocation sites and faults */
#define MEMORY_SITES_MAX 16384		/* distinct (thread, stack) allocation sites */
#define MEMORY_FAULT_SITES_MAX 16384	/* distinct (thread, stack) page-fault sites */
#define MEMORY_USER_DEPTH 64		/* frames of a user stack kept */

/* The only global of the program: set by the agent before load, read-only after. */
struct memory_config {
	struct scope scope;	/* the host JVM: nothing else is traced */
	__u64 sample_bytes;	/* an allocation of s bytes is tracked with probability min(1, s / this); 0: all */
};

/* The allocation functions, by how their result comes back. */
enum memory_fn {
	MEMORY_FN_MALLOC = 0,	/* malloc(size) */
	MEMORY_FN_CALLOC = 1,	/* calloc(n, size) */
	MEMORY_FN_REALLOC = 2,	/* realloc(ptr, size): frees ptr when it returns another block */
	MEMORY_FN_POSIX_MEMALIGN = 3,	/* posix_memalign(&ptr, align, size): the block comes back in *ptr */
	MEMORY_FN_ALIGNED = 4,	/* aligned_alloc(align, size), memalign(align, size) */
};

/* Per thread: what it asked of the allocator and the kernel, every call counted. */
struct thread_memory {
	__u64 alloc_calls;	/* malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign */
	__u64 alloc_bytes;	/* bytes they asked for */
	__u64 free_calls;	/* free of a non-NULL pointer */
	__u64 mmap_calls;
	__u64 mmap_bytes;	/* lengths asked for, reserved address space included */
	__u64 munmap_calls;
	__u64 munmap_bytes;
	__u64 brk_calls;	/* sbrk: the main arena growing or shrinking the heap */
	__s64 brk_bytes;	/* their increments, summed */
	__u64 faults;		/* page faults taken by the thread's own code (user mode) */
	__u64 min_flt_start;	/* the kernel's counters of the thread before its first traced fault */
	__u64 maj_flt_start;
	__u64 min_flt_end;	/* and at its exit; 0 while it lives (user space reads /proc then) */
	__u64 maj_flt_end;
	__u64 exited;		/* 1 once the thread exited */
};

/*
 * A thread inside an allocation call whose return matters: a followed block's, or a call that may
 * free a block or call malloc itself (every call but an unfollowed malloc).
 */
struct pending_alloc {
	__u64 size;
	__u64 weight;		/* bytes the block stands for when tracked; 0: not tracked */
	__u64 old;		/* realloc's block */
	__u64 old_ns;		/* when realloc's block was allocated, if followed: the entry to untrack */
	__u64 out;		/* posix_memalign's result pointer */
	__u32 fn;		/* enum memory_fn */
	__u32 depth;		/* allocation calls it made itself (glibc's realloc(NULL) calls malloc) */
};

/* A tracked block, under its address, until freed. */
struct allocation {
	__u64 size;
	__u64 weight;		/* bytes it stands for: size, or sample_bytes for a sampled smaller block */
	__u64 stack;		/* stacks.h id of the caller's user stack */
	__u64 ns;		/* CLOCK_MONOTONIC when allocated */
	__u32 tid;
	__u32 unused;
};

/* A thread at a user stack: the key of allocation sites and fault sites. */
struct site_key {
	__u64 stack;
	__u32 tid;
	__u32 unused;
};

/* Tracked allocations at one site, outstanding or not. */
struct alloc_site {
	__u64 allocations;	/* tracked blocks */
	__u64 bytes;		/* the bytes they stand for: an estimate of all the site's bytes */
};

/* Indexes of the counters array. */
enum memory_counter {
	MEMORY_THREADS_FULL = 0,	/* a thread's figures found the thread map full */
	MEMORY_PENDING_FULL = 1,	/* a sampled call found the pending map full: not tracked */
	MEMORY_ALLOCATIONS_FULL = 2,	/* a tracked block found the allocation map full */
	MEMORY_SITES_FULL = 3,		/* a tracked block's site found the site map full */
	MEMORY_STACKS_LOST = 4,		/* a stack found the stack map full */
	MEMORY_FAULT_SITES_FULL = 5,	/* a fault's site found the fault map full */
	MEMORY_COUNTERS = 6,
};

#endif
