// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The processes the JVM starts: a child is followed from its fork by a JVM thread (its pid, the
 * thread, the time), through each exec (the command line of the last one: ProcessBuilder's child
 * first execs jspawnhelper, which execs the command), to the exit of its last thread, when one
 * event carries all of it with the exit status and CPU time. Only direct children: what they
 * start in turn is theirs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "processes.h"
#include "counters.h"
#include "pidns.h"

const volatile struct processes_config cfg = {};

/*
 * Keyed by the child's kernel pid (its tgid), which is what the exec and exit programs see of
 * it: in a PID namespace the JVM's ids of it are in the value.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct child_process);
} children SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PROCESSES_RINGBUF_BYTES);
} exits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PROCESSES_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* A fresh entry, built off the (512-byte) BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct child_process);
} scratch SEC(".maps");

/* The pid of `child` as the JVM sees it: at the level of the JVM's PID namespace, that of `parent`. */
static __always_inline __u32 jvm_pid(struct task_struct *parent, struct task_struct *child)
{
	if (cfg.scope.init_pidns)
		return child->pid;
	return pid_at_level(child->thread_pid, BPF_CORE_READ(parent, thread_pid, level));
}

/*
 * args: (struct task_struct *parent, struct task_struct *child). The fork runs in the parent, so
 * the current task is the one to filter on; a child that shares the parent's thread group is a
 * thread, not a process.
 */
SEC("tp_btf/sched_process_fork")
int on_fork(__u64 *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx[0];
	struct task_struct *child = (struct task_struct *)ctx[1];
	struct child_process *fresh;
	__u32 tid, kernel_pid, zero = 0;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	if (child->pid != child->tgid)
		return 0;
	fresh = bpf_map_lookup_elem(&scratch, &zero);
	if (!fresh)
		return 0;
	kernel_pid = child->pid;
	fresh->pid = jvm_pid(parent, child);
	fresh->tid = tid;
	fresh->start_ns = bpf_ktime_get_ns();
	fresh->argv_bytes = 0;
	fresh->unused = 0;
	// A reused pid starts afresh: the process that had it has exited.
	if (bpf_map_update_elem(&children, &kernel_pid, fresh, BPF_ANY))
		increment(&counters, PROCESSES_CHILDREN_FULL);
	return 0;
}

/*
 * args: (struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm); p is the current task,
 * now running the new image, whose command line is in its new memory. A task is filtered by the
 * lookup: only the JVM's children are in the map. Each exec replaces the last one's command.
 */
SEC("tp_btf/sched_process_exec")
int on_exec(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[0];
	__u32 kernel_pid = task->tgid;
	struct child_process *child = bpf_map_lookup_elem(&children, &kernel_pid);
	unsigned long start, end, bytes;
	struct mm_struct *mm;

	if (!child)
		return 0;
	mm = task->mm;
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	bytes = end > start ? end - start : 0;
	if (bytes > PROCESSES_ARGV_BYTES)
		bytes = PROCESSES_ARGV_BYTES;
	if (bytes == 0 || bpf_probe_read_user(child->argv, bytes, (void *)start)) {
		child->argv_bytes = 0;
		return 0;
	}
	child->argv_bytes = bytes;
	return 0;
}

/*
 * args: (struct task_struct *p[, bool group_dead]). A process ends with its last thread, which may
 * not be its leader: the exiting task that leaves no thread live (live drops before this
 * tracepoint). The status is what wait(2) will give the JVM: the group's exit code when it exits
 * as a whole, else the leader's own.
 */
SEC("tp_btf/sched_process_exit")
int on_exit(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[0];
	struct task_struct *leader;
	struct signal_struct *signal;
	struct child_process *child;
	struct child_exit_event *e;
	__u32 kernel_pid;

	signal = task->signal;
	if (BPF_CORE_READ(signal, live.counter) != 0)
		return 0;
	kernel_pid = task->tgid;
	child = bpf_map_lookup_elem(&children, &kernel_pid);
	if (!child)
		return 0;
	e = bpf_ringbuf_reserve(&exits, sizeof(*e), 0);
	if (!e) {
		increment(&counters, PROCESSES_EXITS_LOST);
		bpf_map_delete_elem(&children, &kernel_pid);
		return 0;
	}
	leader = task->group_leader;
	e->end_ns = bpf_ktime_get_ns();
	e->status = BPF_CORE_READ(signal, flags) & SIGNAL_GROUP_EXIT ? BPF_CORE_READ(signal, group_exit_code)
								     : BPF_CORE_READ(leader, exit_code);
	// Released threads are summed in the signal struct; the leader, a zombie until the group ends,
	// is not released before it, so an early-exited leader is added here.
	e->cpu_ns = task->se.sum_exec_runtime + BPF_CORE_READ(signal, sum_sched_runtime);
	if (leader != task)
		e->cpu_ns += BPF_CORE_READ(leader, se.sum_exec_runtime);
	e->unused = 0;
	__builtin_memcpy(&e->child, child, sizeof(e->child));
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&children, &kernel_pid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
