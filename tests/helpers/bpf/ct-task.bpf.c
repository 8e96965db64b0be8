// SPDX-License-Identifier: GPL-2.0
/*
 * For tests/helpers/common/ct-task.c: the header common/bpf/task.bpf.h
 * fills in at the helper's getsockname() call.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "task.bpf.h"

const volatile __u32 self_tgid;

__u64 seen_calls;
struct ct_task_info seen_task;

SEC("tracepoint/syscalls/sys_enter_getsockname")
int on_getsockname(void *ctx)
{
	if (bpf_get_current_pid_tgid() >> 32 != self_tgid)
		return 0;
	ct_task_info_fill(&seen_task);
	seen_calls++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
