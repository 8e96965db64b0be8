// SPDX-License-Identifier: GPL-2.0
/*
 * The floor: programs that do nothing, attached by floor.c to the hooks a
 * tool uses. What the workload loses under them is the price of the attach
 * method itself, the least any tool on these hooks can cost. One program
 * per kind of hook, attached to each hook of that kind.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tracepoint")
int floor_tp(void *ctx)
{
	return 0;
}

SEC("raw_tp")
int floor_raw(void *ctx)
{
	return 0;
}

SEC("uretprobe")
int floor_uret(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
