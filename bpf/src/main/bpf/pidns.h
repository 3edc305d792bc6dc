/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A task's id in a PID namespace other than the current task's, for programs that see tasks not
 * running (a thread woken, a child forked): scope.h covers the current task only. Include after
 * vmlinux.h and bpf_core_read.h.
 */
#ifndef JVM_EBPF_PIDNS_H
#define JVM_EBPF_PIDNS_H

/* The number `pid` has at namespace `level` (0: the initial one), or 0 for a released pid. */
static __always_inline __u32 pid_at_level(struct pid *pid, unsigned int level)
{
	unsigned long numbers;
	int nr = 0;

	if (!pid)
		return 0;
	numbers = (unsigned long)pid + bpf_core_field_offset(struct pid, numbers);
	bpf_probe_read_kernel(&nr, sizeof(nr), (void *)(numbers + (level & 31) * sizeof(struct upid)
		+ bpf_core_field_offset(struct upid, nr)));
	return nr;
}

#endif
