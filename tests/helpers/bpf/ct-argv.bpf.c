// SPDX-License-Identifier: GPL-2.0
/*
 * For tests/helpers/common/ct-argv.c: the helper's own arguments as
 * common/bpf/argv.bpf.h reads them, from its stack at its getsockname()
 * call, and from the argv array of its (failing) execve().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "argv.bpf.h"

const volatile __u32 self_tgid;
const volatile __u32 max_bytes = CT_ARGV_MASK;
const volatile __u32 max_args = 20;

__u64 stack_calls;
__u32 stack_len;
__u8 stack_cut;
char stack_args[CT_ARGV_BYTES];

__u64 exec_calls;
__u32 exec_len;
__u8 exec_cut;
char exec_args[2 * CT_ARGV_BYTES];

static __always_inline bool self(void)
{
	return bpf_get_current_pid_tgid() >> 32 == self_tgid;
}

SEC("tracepoint/syscalls/sys_enter_getsockname")
int on_getsockname(void *ctx)
{
	bool cut = false;

	if (!self())
		return 0;
	stack_len = ct_current_args(stack_args, max_bytes, CT_ARGV_MASK,
				    &cut);
	stack_cut = cut;
	stack_calls++;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int on_execve(struct trace_event_raw_sys_enter *ctx)
{
	bool cut = false;

	if (!self())
		return 0;
	/* The bounded loop: every kernel has it (execsnoop tests both). */
	exec_len = ct_user_argv(exec_args, (const char *const *)ctx->args[1],
				max_args, &cut, false);
	exec_cut = cut;
	exec_calls++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
