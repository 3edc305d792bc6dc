// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Exercises the attach paths the probes build on (perf events, uprobes) with counters a test can
 * hold against a known workload. Shipped like the others, attached only by tests.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "attach_selftest.h"

const volatile struct attach_selftest_config cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SELFTEST_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline int count(__u32 which)
{
	__u64 *n;
	__u32 tid;

	if (!in_scope(&cfg.scope, &tid))
		return 0;
	n = bpf_map_lookup_elem(&counters, &which);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("perf_event")
int on_sample(void *ctx)
{
	return count(SELFTEST_PERF_SAMPLES);
}

SEC("uprobe")
int on_call(void *ctx)
{
	return count(SELFTEST_UPROBE_HITS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
