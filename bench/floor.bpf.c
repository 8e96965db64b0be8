// SPDX-License-Identifier: GPL-2.0
/*
 * The floor: programs on the tracepoints the tools use, doing nothing. What
 * the workload loses under them is the price of the attach method itself,
 * the least any tool on these tracepoints can cost.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define NOTHING(tp, name)                                                  \
	SEC("tracepoint/" tp)                                              \
	int name(void *ctx)                                                \
	{                                                                  \
		return 0;                                                  \
	}

/* opensnoop */
NOTHING("syscalls/sys_enter_open", enter_open)
NOTHING("syscalls/sys_exit_open", exit_open)
NOTHING("syscalls/sys_enter_openat", enter_openat)
NOTHING("syscalls/sys_exit_openat", exit_openat)
NOTHING("syscalls/sys_enter_openat2", enter_openat2)
NOTHING("syscalls/sys_exit_openat2", exit_openat2)
NOTHING("syscalls/sys_enter_creat", enter_creat)
NOTHING("syscalls/sys_exit_creat", exit_creat)

/* execsnoop (its -x adds the syscall tracepoints) */
NOTHING("sched/sched_process_exec", sched_exec)
NOTHING("syscalls/sys_enter_execve", enter_execve)
NOTHING("syscalls/sys_exit_execve", exit_execve)
NOTHING("syscalls/sys_enter_execveat", enter_execveat)
NOTHING("syscalls/sys_exit_execveat", exit_execveat)

char LICENSE[] SEC("license") = "GPL";
