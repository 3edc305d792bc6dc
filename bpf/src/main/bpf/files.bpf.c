// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Per file of the host JVM and per thread: bytes and calls of reads and writes, syncs and the time
 * in them, aggregated here. An open that succeeds gets an id and its path; the fd points at that
 * id until it is closed, so reads and writes are summed per open, never per fd number (fds are
 * reused). Fds the agent never saw opened (before it attached, or made by socket, pipe, dup...)
 * are summed per fd number and named by user space from /proc/self/fd.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "files.h"
#include "counters.h"

const volatile struct files_config cfg = {};

/* The thread's syscall under way; the path is read at entry, while the user's buffer is sure. */
struct file_call {
	__u64 start_ns;		/* 0: not inside a traced syscall */
	__s32 fd;
	__u32 op;
	char path[FILES_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILES_INFLIGHT_MAX);
	__type(key, __u32);
	__type(value, struct file_call);
} calls SEC(".maps");

/* fd -> open id. Fds are the process's, shared by its threads. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILES_FDS_MAX);
	__type(key, __s32);
	__type(value, __u64);
} fds SEC(".maps");

/* open id -> path, for the whole run: the io entries of a closed file still need its name. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILES_PATHS_MAX);
	__type(key, __u64);
	__type(value, struct file_path);
} paths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILES_IO_MAX);
	__type(key, struct file_key);
	__type(value, struct file_io);
} io SEC(".maps");

/*
 * fd -> how many times it was closed since the agent started: an fd the agent did not see opened
 * is named from /proc/self/fd, which shows only what the number means now (or at the start, for
 * generation 0); the count tells user space which life of the number a figure belongs to.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FILES_FD_LIMIT);
	__type(key, __u32);
	__type(value, __u32);
} fd_closes SEC(".maps");

/* Slot 0: the last open id given. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} open_ids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FILES_OVERFLOW_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} overflows SEC(".maps");

/* A zeroed call for a thread's first slot: too big for the stack beside the rest. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct file_call);
} blank SEC(".maps");

/*
 * The saved user registers that hold a syscall's first two arguments, per architecture: CO-RE
 * flavors of struct pt_regs, kept here (the shared vmlinux.h names only what offcpu reads).
 */
struct pt_regs___files_x86 {
	unsigned long si;
	unsigned long di;
} __attribute__((preserve_access_index));

struct pt_regs___files_arm64 {
	unsigned long regs[31];
	unsigned long orig_x0;	/* x0 becomes the return value; the first argument is kept here */
} __attribute__((preserve_access_index));

static __always_inline unsigned long syscall_arg(struct pt_regs *regs, int n)
{
	struct pt_regs___files_x86 *x86 = (void *)regs;
	struct pt_regs___files_arm64 *arm64 = (void *)regs;

	if (bpf_core_field_exists(x86->di))
		return n == 0 ? BPF_CORE_READ(x86, di) : BPF_CORE_READ(x86, si);
	return n == 0 ? BPF_CORE_READ(arm64, orig_x0) : BPF_CORE_READ(arm64, regs[1]);
}

static __always_inline __u32 op_of(long nr)
{
	__u64 n = (__u64)nr;	/* unsigned: -1 becomes huge */

	return n < FILES_NR_LIMIT ? cfg.op[n] : FILE_OP_NONE;
}

/* args: (struct pt_regs *regs, long id) */
SEC("raw_tp/sys_enter")
int files_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = (long)ctx->args[1];
	struct file_call *slot;
	unsigned long arg0, arg1;
	__u32 tid, zero = 0, op;
	__s32 fd;

	// Only the host JVM, only the file syscalls.
	if (!in_scope(&cfg.scope, &tid))
		return 0;
	op = op_of(nr);
	if (op == FILE_OP_NONE)
		return 0;
	arg0 = syscall_arg(regs, 0);
	fd = (__s32)arg0;
	// Forgotten as the call begins: once the kernel frees the fd, another thread's open may get
	// it, and its new id must not be deleted by this close's return.
	if (op == FILE_OP_CLOSE) {
		__u32 *closes = bpf_map_lookup_elem(&fd_closes, &fd);

		bpf_map_delete_elem(&fds, &fd);
		if (closes)
			__sync_fetch_and_add(closes, 1);
		return 0;
	}
	// One slot per thread, rewritten in place: a hash update would take and free an element.
	slot = bpf_map_lookup_elem(&calls, &tid);
	if (!slot) {
		struct file_call *fresh = bpf_map_lookup_elem(&blank, &zero);

		if (!fresh)
			return 0;
		if (bpf_map_update_elem(&calls, &tid, fresh, BPF_NOEXIST)) {
			increment(&overflows, FILES_OVERFLOW_INFLIGHT_FULL);
			return 0;
		}
		slot = bpf_map_lookup_elem(&calls, &tid);
		if (!slot)
			return 0;
	}
	slot->op = op;
	slot->fd = fd;
	if (op == FILE_OP_OPEN || op == FILE_OP_OPENAT) {
		arg1 = op == FILE_OP_OPEN ? arg0 : syscall_arg(regs, 1);
		if (bpf_probe_read_user_str(slot->path, sizeof(slot->path), (const void *)arg1) < 0)
			slot->path[0] = 0;
	}
	slot->start_ns = bpf_ktime_get_ns();
	return 0;
}

static __always_inline void opened(struct file_call *call, __s32 fd)
{
	__u32 zero = 0;
	__u64 *last = bpf_map_lookup_elem(&open_ids, &zero);
	__u64 id;

	if (!last)
		return;
	id = __sync_fetch_and_add(last, 1) + 1;	/* threads open at once: atomic */
	if (bpf_map_update_elem(&paths, &id, call->path, BPF_NOEXIST))
		increment(&overflows, FILES_OVERFLOW_PATHS_FULL);
	if (bpf_map_update_elem(&fds, &fd, &id, BPF_ANY))
		increment(&overflows, FILES_OVERFLOW_FDS_FULL);
}

/* args: (struct pt_regs *regs, long ret) */
SEC("raw_tp/sys_exit")
int files_exit(struct bpf_raw_tracepoint_args *ctx)
{
	long ret = (long)ctx->args[1];
	struct file_call *call;
	struct file_key key;
	struct file_io *s;
	__u64 latency, *id;
	__u32 tid, op, *closes;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	// Entered before we attached, or not traced: nothing to measure.
	call = bpf_map_lookup_elem(&calls, &tid);
	if (!call || !call->start_ns)
		return 0;
	latency = bpf_ktime_get_ns() - call->start_ns;
	call->start_ns = 0;
	op = call->op;
	if (op == FILE_OP_OPEN || op == FILE_OP_OPENAT) {
		if (ret >= 0)
			opened(call, (__s32)ret);
		return 0;
	}

	id = bpf_map_lookup_elem(&fds, &call->fd);
	key.open_id = id ? *id : 0;
	key.fd = id ? -1 : call->fd;
	key.tid = tid;
	key.unused = 0;
	if (id) {
		key.generation = 0;
	} else {
		closes = bpf_map_lookup_elem(&fd_closes, &call->fd);
		key.generation = closes ? *closes : FILES_GENERATION_UNKNOWN;
	}
	s = bpf_map_lookup_elem(&io, &key);
	if (!s) {
		struct file_io zero = {};

		s = insert_missing(&io, &key, &zero, &overflows, FILES_OVERFLOW_IO_FULL);
		if (!s)
			return 0;
	}
	// The key holds the thread, which is in one syscall at a time: no concurrent update.
	if (op == FILE_OP_READ) {
		s->reads++;
		if (ret > 0)
			s->bytes_read += ret;
	} else if (op == FILE_OP_WRITE) {
		s->writes++;
		if (ret > 0)
			s->bytes_written += ret;
	} else {
		s->fsyncs++;
	}
	s->total_ns += latency;
	if (latency > s->max_ns)
		s->max_ns = latency;
	return 0;
}

/* A thread that ends inside exit(2) never returns: free its slot. */
SEC("raw_tp/sched_process_exit")
int files_thread_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
