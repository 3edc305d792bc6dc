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
 * Kernel structs read through CO-RE go here, between
 *   #pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
 *   #pragma clang attribute pop
 * with only the fields read; none of today's programs needs one.
 */

#endif
