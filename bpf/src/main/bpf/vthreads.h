/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which virtual thread each carrier runs, for the programs that attribute to virtual threads
 * (profile.bpf.c, syscalls.bpf.c): each has its own `vthread_slots` array, which the JVM maps into
 * its memory and the JVMTI helper (agent/src/main/c/jvmti_vthreads.c) writes at every mount and
 * unmount; the programs only read it. A slot is read on the carrier's own CPU, between its
 * instructions (a sample, a syscall of its own), so program order is all the writer needs.
 */
#ifndef JVM_EBPF_VTHREADS_H
#define JVM_EBPF_VTHREADS_H

#ifndef BPF_F_MMAPABLE
#define BPF_F_MMAPABLE (1U << 10) /* the minimal vmlinux.h has no uapi enums */
#endif

#define VTHREAD_SLOTS 4096	/* carriers: a carrier's slot is its tid modulo this */

struct vthread_slot {
	__u32 tid;		/* the carrier owning the slot; another tid: not this thread's */
	__u32 unused;
	__u64 vthread;		/* 0: no virtual thread mounted */
};

#define VTHREAD_SLOTS_MAP(name)							\
	struct {								\
		__uint(type, BPF_MAP_TYPE_ARRAY);				\
		__uint(map_flags, BPF_F_MMAPABLE);				\
		__uint(max_entries, VTHREAD_SLOTS);				\
		__type(key, __u32);						\
		__type(value, struct vthread_slot);				\
	} name SEC(".maps")

/* The virtual thread mounted on `tid` (the current task, a carrier), or 0. */
static __always_inline __u64 mounted_vthread(void *slots, __u32 tid)
{
	__u32 index = tid % VTHREAD_SLOTS;
	struct vthread_slot *slot = bpf_map_lookup_elem(slots, &index);

	return slot && slot->tid == tid ? slot->vthread : 0;
}

#endif
