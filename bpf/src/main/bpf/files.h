/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared between files.bpf.c and its Java mirror io.jvmebpf.agent.probe.files.FilesLayouts:
 * change both together (the agent checks the map key/value sizes at load time).
 */
#ifndef JVM_EBPF_FILES_H
#define JVM_EBPF_FILES_H

#include "scope.h"

#define FILES_NR_LIMIT 1024		/* syscall numbers at or above are not traced */
#define FILES_PATH_MAX 256		/* bytes of a path kept, NUL included; longer ones are cut */
#define FILES_INFLIGHT_MAX 16384	/* threads inside a traced syscall at once */
#define FILES_FDS_MAX 16384		/* open fds the agent saw opened */
#define FILES_PATHS_MAX 16384		/* paths of opens; files.max= does not change it */
#define FILES_IO_MAX 16384		/* distinct (open, thread) pairs */
#define FILES_FD_LIMIT 65536		/* fds below have their closes counted (fd_closes) */
#define FILES_GENERATION_UNKNOWN 0xFFFFFFFF	/* an fd at or above FILES_FD_LIMIT */

/*
 * What a syscall does to a file, by syscall number: the numbers are the architecture's, so the
 * agent fills this table from its own syscall table before load and the program needs none.
 */
enum file_op {
	FILE_OP_NONE = 0,
	FILE_OP_OPEN = 1,	/* open(2): the path is args[0] */
	FILE_OP_OPENAT = 2,	/* openat(2), openat2(2): the path is args[1] */
	FILE_OP_READ = 3,	/* read, pread64, readv, preadv: args[0] is the fd */
	FILE_OP_WRITE = 4,	/* write, pwrite64, writev, pwritev */
	FILE_OP_SYNC = 5,	/* fsync, fdatasync */
	FILE_OP_CLOSE = 6,
};

/* The only global of the program: set by the agent before load, read-only after. */
struct files_config {
	struct scope scope;	/* the host JVM: nothing else is traced */
	__u8 op[FILES_NR_LIMIT];	/* enum file_op by syscall number */
};

/*
 * The key of the io map: one open of a file, or one life of an fd the agent did not see opened;
 * one thread.
 */
struct file_key {
	__u64 open_id;		/* 0: the fd was opened before the agent, or not by open */
	__s32 fd;		/* only for open_id 0, else -1: user space names it from /proc/self/fd */
	__u32 tid;
	__u32 generation;	/* only for open_id 0: closes of this fd number seen before the call */
	__u32 unused;
};

struct file_io {
	__u64 bytes_read;
	__u64 bytes_written;
	__u64 reads;		/* calls, whatever they returned */
	__u64 writes;
	__u64 fsyncs;
	__u64 total_ns;		/* in read, write and sync calls */
	__u64 max_ns;
};

struct file_path {
	char path[FILES_PATH_MAX];
};

/* Indexes of the overflows array: events the bounded maps could not hold. */
enum files_overflow {
	FILES_OVERFLOW_IO_FULL = 0,		/* a new (open, thread) pair found the io map full */
	FILES_OVERFLOW_INFLIGHT_FULL = 1,	/* a syscall entry found the in-flight map full */
	FILES_OVERFLOW_FDS_FULL = 2,		/* an open found the fd map full: its I/O goes to fd */
	FILES_OVERFLOW_PATHS_FULL = 3,		/* an open found the path map full: its path is lost */
	FILES_OVERFLOW_COUNT = 4,
};

#endif
