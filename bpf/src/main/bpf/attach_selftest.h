/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between attach_selftest.bpf.c and the bpf module's AttachKernelTest. */
#ifndef JVM_EBPF_ATTACH_SELFTEST_H
#define JVM_EBPF_ATTACH_SELFTEST_H

#include "scope.h"

struct attach_selftest_config {
	struct scope scope;
};

enum attach_selftest_counter {
	SELFTEST_PERF_SAMPLES = 0,
	SELFTEST_UPROBE_HITS = 1,
	SELFTEST_COUNTERS = 2,
};

#endif
