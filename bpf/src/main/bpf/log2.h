/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Log2 histograms of nanoseconds, as syscalls.bpf.c and offcpu.bpf.c keep them. */
#ifndef JVM_EBPF_LOG2_H
#define JVM_EBPF_LOG2_H

/* floor(log2(v)) (0 for 0 and 1), at most `buckets - 1`: the last bucket holds all longer. */
static __always_inline __u32 log2_bucket(__u64 v, __u32 buckets)
{
	__u32 r, shift;

	r = (v > 0xFFFFFFFF) << 5; v >>= r;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r < buckets ? r : buckets - 1;
}

#endif
