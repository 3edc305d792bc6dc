/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one filter every program applies first: is the current task a thread of the host JVM?
 * Mirrored by io.jvmebpf.bpf.ProcessScope, which fills it before load.
 *
 * In the initial PID namespace the kernel's tgid is the JVM's own pid: one helper call and a
 * compare. In a container the JVM knows itself only by its namespace's ids, so the programs ask
 * the kernel for the current task's ids in that namespace (bpf_get_ns_current_pid_tgid, 5.7+),
 * which also fails for every task outside it; maps are then keyed by namespace tids, the ones the
 * JVM, JFR and /proc show.
 */
#ifndef JVM_EBPF_SCOPE_H
#define JVM_EBPF_SCOPE_H

struct scope {
	__u32 tgid;		/* the JVM's pid, as the JVM sees it */
	__u32 init_pidns;	/* 1: the JVM is in the initial PID namespace */
	__u64 pidns_dev;	/* otherwise its PID namespace: st_dev and st_ino of /proc/self/ns/pid */
	__u64 pidns_ino;
};

/* True, with the current thread's id in *tid, when the current task belongs to the JVM. */
static __always_inline bool in_scope(const volatile struct scope *scope, __u32 *tid)
{
	struct bpf_pidns_info ids;
	__u64 pid_tgid;

	if (scope->init_pidns) {
		pid_tgid = bpf_get_current_pid_tgid();
		*tid = (__u32)pid_tgid;
		return (pid_tgid >> 32) == scope->tgid;
	}
	if (bpf_get_ns_current_pid_tgid(scope->pidns_dev, scope->pidns_ino, &ids, sizeof(ids)))
		return false;
	*tid = ids.pid;
	return ids.tgid == scope->tgid;
}

#endif
