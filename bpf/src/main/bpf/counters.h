/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Counters of what a program could not hold or did: an array map of __u64, one slot per kind,
 * read by user space with BpfMap.counter(index). Include after vmlinux.h and bpf_helpers.h.
 */
#ifndef JVM_EBPF_COUNTERS_H
#define JVM_EBPF_COUNTERS_H

/* Adds one to slot `index` of the counter array `counters`; shared by all CPUs, hence atomic. */
static __always_inline void increment(void *counters, __u32 index)
{
	__u64 *value = bpf_map_lookup_elem(counters, &index);

	if (value)
		__sync_fetch_and_add(value, 1);
}

#endif
