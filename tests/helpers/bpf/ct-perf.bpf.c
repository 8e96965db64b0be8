// SPDX-License-Identifier: GPL-2.0
/*
 * For tests/helpers/common/ct-perf.c: count the perf event samples of each
 * CPU. A per-CPU perf event runs its program on that CPU, so the per-CPU
 * slot a sample lands in is the CPU it was taken on.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} samples SEC(".maps");

SEC("perf_event")
int count_sample(void *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&samples, &zero);

	if (n)
		(*n)++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
