// SPDX-License-Identifier: GPL-2.0
/*
 * For tests/helpers/common/ct-path.c: the full path common/bpf/path.bpf.h
 * builds for the file of the fd the helper passes to getsockname().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "events.bpf.h"
#include "file.bpf.h"
#include "path.bpf.h"

const volatile __u32 self_tgid;

__u64 seen_calls;
__u32 seen_len;		/* bytes of seen_path, no NUL */
__u8 seen_has_path;	/* a file with a real path */
__u8 seen_cut;
__u8 seen_deleted;
char seen_path[CT_PATH_HALF];

CT_SCRATCH(path_scratch, struct ct_path_buf);

SEC("tracepoint/syscalls/sys_enter_getsockname")
int on_getsockname(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct ct_path_buf *pb = ct_scratch(&path_scratch);
	struct ct_dentry_up up = {};
	struct path dir = {}, root;
	__u32 pos;

	if (bpf_get_current_pid_tgid() >> 32 != self_tgid || !pb)
		return 0;
	seen_calls++;
	seen_len = 0;
	ct_fd_path_as(task, (int)ctx->args[0], &dir, false, false);
	if (!dir.dentry)
		return 0;
	ct_dentry_read(dir.dentry, &up);
	seen_has_path = ct_dentry_has_path(dir.dentry, &up);
	if (!seen_has_path)
		return 0;
	seen_deleted = ct_dentry_unlinked(dir.dentry, &up);
	root = BPF_CORE_READ(task, fs, root);
	pos = ct_path_walk(pb, &root, &dir, &up, false, false);
	seen_cut = pb->cut;
	if (pos >= CT_PATH_HALF)
		return 0;
	seen_len = CT_PATH_HALF - pos;
	bpf_probe_read_kernel(seen_path, seen_len & CT_PATH_HALF_MASK,
			      &pb->buf[pos & CT_PATH_HALF_MASK]);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
