// SPDX-License-Identifier: GPL-2.0
/*
 * A uretprobe on bash's readline() (or readline_internal_teardown(), which
 * returns the same line and sees the first line too): the return value is
 * the line just typed, or NULL at end of input. User space attaches it to
 * each binary or library it found, at the function's file offset.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "filter.bpf.h"
#include "bashreadline.h"

CT_SCRATCH(scratch, struct rl_event);

/* Is the line at user address s longer than the n - 1 bytes read? */
static __always_inline bool longer_than_read(const char *s, long n)
{
	char c = 0;

	if (n < RL_LINE_BYTES)
		return false;
	bpf_probe_read_user(&c, 1, s + RL_LINE_BYTES - 1);
	return c != 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(handle_readline_return, const char *line)
{
	struct rl_event *e;
	long n;

	/* NULL: Ctrl-D or end of input, nothing was typed. */
	if (!line || !ct_task_wanted())
		return 0;
	e = ct_scratch(&scratch);
	if (!e)
		return 0;
	n = bpf_probe_read_user_str(e->line, RL_LINE_BYTES, line);
	if (n <= 0)
		return 0;
	e->flags = longer_than_read(line, n) ? RL_TRUNCATED : 0;
	e->len = n - 1;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	CT_SEND(ctx, e, offsetof(struct rl_event, line) + e->len);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
