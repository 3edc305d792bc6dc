/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Counters of what a program could not hold or did: an array map of __u64, one slot per kind,
 * read by user space with BpfMap.counter(index); and the insert that counts a full map there.
 * Include after vmlinux.h and bpf_helpers.h.
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

/*
 * After a lookup of `key` found nothing: the entry made from `init`, or NULL, counted in slot
 * `full` of `counters`, when the map has no room. Another CPU may make the same entry meanwhile:
 * the insert then fails and the lookup finds that one. (The caller builds `init` on its miss
 * path only: on a hot path, zeroing a large value at every call would cost more than the lookup.)
 */
static __always_inline void *insert_missing(void *map, const void *key, const void *init, void *counters,
					    __u32 full)
{
	void *value;

	bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	value = bpf_map_lookup_elem(map, key);
	if (!value)
		increment(counters, full);
	return value;
}

#endif
