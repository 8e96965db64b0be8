// SPDX-License-Identifier: GPL-2.0
/*
 * For tests/helpers/common/ct-cgroup.c: the cgroup id BPF sees for the
 * helper itself, taken at its getppid() call.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u32 self_tgid;
__u64 cgroup_id;

SEC("tracepoint/syscalls/sys_enter_getppid")
int take_cgroup_id(void *ctx)
{
	if (bpf_get_current_pid_tgid() >> 32 == self_tgid)
		cgroup_id = bpf_get_current_cgroup_id();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
