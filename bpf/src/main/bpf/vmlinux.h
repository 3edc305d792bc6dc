/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Hand-written, minimal stand-in for a generated vmlinux.h: only the kernel types our programs
 * touch. Being hand-written, it carries no kernel's struct layouts: CO-RE relocates field offsets
 * against the running kernel's BTF.
 */
#ifndef JVM_EBPF_VMLINUX_H
#define JVM_EBPF_VMLINUX_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_STACK_TRACE = 7,
	BPF_MAP_TYPE_RINGBUF = 27,
};

/* bpf_get_stackid() flags. */
enum {
	BPF_F_USER_STACK = (1ULL << 8),
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
};

/* Filled by bpf_get_ns_current_pid_tgid(). */
struct bpf_pidns_info {
	__u32 pid;
	__u32 tgid;
};

/* Context of raw_tp/ programs: the tracepoint's arguments as 64-bit words. */
struct bpf_raw_tracepoint_args {
	__u64 args[0];
};

/*
 * Kernel structs read through CO-RE: only the fields read, at whatever offsets; libbpf relocates
 * each access against the running kernel's BTF.
 */
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct upid {
	int nr;
	void *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[1];
};

struct sched_entity {
	__u64 sum_exec_runtime;
};

typedef struct {
	int counter;
} atomic_t;

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
};

struct signal_struct {
	atomic_t live;			/* threads not yet exiting */
	unsigned int flags;		/* SIGNAL_* */
	int group_exit_code;
	unsigned long long sum_sched_runtime;	/* of its threads that have been released */
};

struct task_struct {
	int pid;
	int tgid;
	int exit_code;
	struct pid *thread_pid;
	struct sched_entity se;
	struct mm_struct *mm;
	struct signal_struct *signal;
	struct task_struct *group_leader;
	unsigned long min_flt;		/* page faults the thread took, minor and major */
	unsigned long maj_flt;
};

/* The user registers saved at kernel entry, per architecture (CO-RE flavors of struct pt_regs). */
struct pt_regs___x86 {
	unsigned long bp;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long ax;
	unsigned long orig_ax;
	unsigned long ip;
	unsigned long sp;
};

struct pt_regs___arm64 {
	int syscallno;
};


/* Sockets: the common part of every socket, then TCP's own (tcp_sock starts with a struct sock). */
struct in6_addr {
	union {
		__u8 u6_addr8[16];
	} in6_u;
};

struct ns_common {
	unsigned int inum;
};

struct net {
	struct ns_common ns;
};

typedef struct {
	struct net *net;
} possible_net_t;

/* The kernel's fields sit in anonymous unions; CO-RE finds them by name through those. */
struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;			/* the local port, in host order */
	unsigned short skc_family;
	unsigned char skc_state;
	possible_net_t skc_net;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
};

struct sock {
	struct sock_common __sk_common;
	__u16 sk_protocol;
};

struct tcp_sock {
	__u32 srtt_us;			/* smoothed round-trip time, in 1/8 microseconds */
	__u32 total_retrans;
};

#pragma clang attribute pop

/* Task states at switch-out (include/linux/sched.h); stable kernel ABI, shown by /proc/PID/stat. */
#define TASK_RUNNING 0x0000
#define TASK_DEAD 0x0080

/* Socket families, protocols and TCP states (include/net/tcp_states.h): kernel ABI. */
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_SYN_RECV 3
#define TCP_CLOSE 7
#define TCP_LISTEN 10

/* signal_struct.flags (include/linux/sched/signal.h): the process is exiting as a whole. */
#define SIGNAL_GROUP_EXIT 0x00000004

#endif
