// SPDX-License-Identifier: GPL-2.0
/*
 * Each mount-related system call is seen at its syscalls:sys_enter_*
 * tracepoint, where its arguments are saved per thread (strings copied at
 * once, before the caller can change them), and at sys_exit_*, which adds
 * the result and sends the event. A string that faulted at entry (its page
 * not yet in memory) is read again at exit: the kernel has copied it by
 * then, which brings the page in.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "filter.bpf.h"
#include "task.bpf.h"
#include "mountsnoop.h"

const volatile bool failed_only = false;
const volatile __u32 target_mnt_ns = 0;

/* What entry saw, until exit. */
struct mnt_args {
	__u64 ts;
	__u64 flags;
	__u64 attr_set;
	__u64 attr_clr;
	__u64 attr_ptr;		/* mount_setattr's struct mount_attr */
	__u64 ptr[MNT_STRS];
	__s32 fs_fd;
	__s32 source_fd;
	__s32 target_fd;
	__s32 aux;
	__u32 cmd;
	__u8 op;
	__u8 has;
	__u8 present;
	__u8 truncated;
	char str[MNT_STRS][MNT_STR_BYTES];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct mnt_args);
} starts SEC(".maps");

CT_SCRATCH(args_scratch, struct mnt_args);
CT_SCRATCH(event_scratch, struct mnt_event);

/*
 * Read the user string at p into dst (MNT_STR_BYTES): its length without
 * the NUL, or -1 if it faulted. *cut: it went on past the buffer.
 */
static __always_inline long user_str(char *dst, __u64 p, bool *cut)
{
	const char *s = (const char *)p;
	char last[2];
	long n;

	n = bpf_probe_read_user_str(dst, MNT_STR_BYTES, s);
	if (n < 0)
		return -1;
	/* Some kernels (6.1) count no NUL for an empty string: 0, not 1. */
	if (n == 0)
		return 0;
	*cut = n == MNT_STR_BYTES &&
	       bpf_probe_read_user_str(last, sizeof(last),
				       s + MNT_STR_BYTES - 1) == 2;
	return n - 1;
}

static __always_inline void save_str(struct mnt_args *a, int slot, __u64 p)
{
	bool cut = false;

	a->ptr[slot] = p;
	if (!p || user_str(a->str[slot], p, &cut) < 0)
		return;
	a->present |= 1 << slot;
	if (cut)
		a->truncated |= 1 << slot;
}

static __always_inline bool read_attr(struct mnt_args *a)
{
	__u64 v[2];

	if (bpf_probe_read_user(v, sizeof(v), (void *)a->attr_ptr))
		return false;
	a->attr_set = v[0];
	a->attr_clr = v[1];
	return true;
}

/* Entry: a cleared record for op, or NULL if the filters reject it. */
static __always_inline struct mnt_args *begin(enum mnt_call op)
{
	struct task_struct *task;
	struct mnt_args *a;

	if (!ct_task_wanted())
		return NULL;
	if (target_mnt_ns) {
		task = (struct task_struct *)bpf_get_current_task();
		if (BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum) !=
		    target_mnt_ns)
			return NULL;
	}
	a = ct_scratch(&args_scratch);
	if (!a)
		return NULL;
	__builtin_memset(a, 0, offsetof(struct mnt_args, str));
	a->ts = bpf_ktime_get_ns();
	a->op = op;
	return a;
}

static __always_inline int save(struct mnt_args *a)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	/* A full map loses the call: say so as a lost event. */
	if (bpf_map_update_elem(&starts, &tid, a, BPF_ANY))
		ct_count_send(-1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_mount")
int enter_mount(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_MOUNT);

	if (!a)
		return 0;
	save_str(a, MNT_SOURCE, ctx->args[0]);
	save_str(a, MNT_TARGET, ctx->args[1]);
	save_str(a, MNT_FSTYPE, ctx->args[2]);
	a->flags = ctx->args[3];
	save_str(a, MNT_DATA, ctx->args[4]);
	a->has = MNT_HAS_FLAGS;
	return save(a);
}

SEC("tracepoint/syscalls/sys_enter_umount")
int enter_umount(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_UMOUNT);

	if (!a)
		return 0;
	save_str(a, MNT_TARGET, ctx->args[0]);
	a->flags = ctx->args[1];
	a->has = MNT_HAS_FLAGS;
	return save(a);
}

SEC("tracepoint/syscalls/sys_enter_fsopen")
int enter_fsopen(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_FSOPEN);

	if (!a)
		return 0;
	save_str(a, MNT_FSTYPE, ctx->args[0]);
	a->flags = ctx->args[1];
	a->has = MNT_HAS_FLAGS;
	return save(a);
}

SEC("tracepoint/syscalls/sys_enter_fsconfig")
int enter_fsconfig(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_FSCONFIG);
	__u32 cmd = ctx->args[1];

	if (!a)
		return 0;
	a->fs_fd = ctx->args[0];
	a->cmd = cmd;
	save_str(a, MNT_FSTYPE, ctx->args[2]);
	/* Other commands' values are binary, or no pointer at all. */
	if (cmd == FSCONFIG_SET_STRING || cmd == FSCONFIG_SET_PATH ||
	    cmd == FSCONFIG_SET_PATH_EMPTY)
		save_str(a, MNT_DATA, ctx->args[3]);
	a->aux = ctx->args[4];
	a->has = MNT_HAS_FS_FD | MNT_HAS_CMD;
	return save(a);
}

SEC("tracepoint/syscalls/sys_enter_fsmount")
int enter_fsmount(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_FSMOUNT);

	if (!a)
		return 0;
	a->fs_fd = ctx->args[0];
	a->flags = ctx->args[1];
	a->attr_set = ctx->args[2];
	a->has = MNT_HAS_FS_FD | MNT_HAS_FLAGS | MNT_HAS_ATTR;
	return save(a);
}

SEC("tracepoint/syscalls/sys_enter_move_mount")
int enter_move_mount(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_MOVE_MOUNT);

	if (!a)
		return 0;
	a->source_fd = ctx->args[0];
	save_str(a, MNT_SOURCE, ctx->args[1]);
	a->target_fd = ctx->args[2];
	save_str(a, MNT_TARGET, ctx->args[3]);
	a->flags = ctx->args[4];
	a->has = MNT_HAS_SOURCE_FD | MNT_HAS_TARGET_FD | MNT_HAS_FLAGS;
	return save(a);
}

SEC("tracepoint/syscalls/sys_enter_open_tree")
int enter_open_tree(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_OPEN_TREE);

	if (!a)
		return 0;
	a->source_fd = ctx->args[0];
	save_str(a, MNT_SOURCE, ctx->args[1]);
	a->flags = ctx->args[2];
	a->has = MNT_HAS_SOURCE_FD | MNT_HAS_FLAGS;
	return save(a);
}

SEC("tracepoint/syscalls/sys_enter_fspick")
int enter_fspick(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_FSPICK);

	if (!a)
		return 0;
	a->target_fd = ctx->args[0];
	save_str(a, MNT_TARGET, ctx->args[1]);
	a->flags = ctx->args[2];
	a->has = MNT_HAS_TARGET_FD | MNT_HAS_FLAGS;
	return save(a);
}

SEC("tracepoint/syscalls/sys_enter_mount_setattr")
int enter_mount_setattr(struct trace_event_raw_sys_enter *ctx)
{
	struct mnt_args *a = begin(CALL_MOUNT_SETATTR);

	if (!a)
		return 0;
	a->target_fd = ctx->args[0];
	save_str(a, MNT_TARGET, ctx->args[1]);
	a->flags = ctx->args[2];
	a->attr_ptr = ctx->args[3];
	a->has = MNT_HAS_TARGET_FD | MNT_HAS_FLAGS | MNT_HAS_ATTR |
		 MNT_HAS_ATTR_CLR;
	if (a->attr_ptr && read_attr(a))
		a->attr_ptr = 0;
	return save(a);
}

/*
 * Put slot's string at off in e->data: the copy entry made, else a new
 * read of a pointer that faulted then. Returns the new offset.
 */
static __always_inline __u32 put_str(struct mnt_event *e,
				     const struct mnt_args *a, int slot,
				     __u32 off)
{
	bool cut = false;
	long n;

	/* At most three strings before this one, each shorter than this. */
	if (off > (MNT_STRS - 1) * MNT_STR_BYTES)
		off = (MNT_STRS - 1) * MNT_STR_BYTES;
	e->len[slot] = 0;
	if (a->present & (1 << slot)) {
		n = bpf_probe_read_kernel_str(&e->data[off], MNT_STR_BYTES,
					      a->str[slot]) - 1;
	} else if (a->ptr[slot]) {
		n = user_str(&e->data[off], a->ptr[slot], &cut);
		if (n < 0) {
			e->unread |= 1 << slot;
			return off;
		}
	} else {
		return off;
	}
	if (n < 0)
		n = 0;
	e->present |= 1 << slot;
	if (cut)
		e->truncated |= 1 << slot;
	e->len[slot] = n & (MNT_STR_BYTES - 1);
	return off + e->len[slot];
}

static __always_inline void fill(struct mnt_event *e, struct mnt_args *a,
				 long ret)
{
	ct_task_info_fill(&e->task);
	e->ts = a->ts;
	e->latency_ns = bpf_ktime_get_ns() - a->ts;
	e->ret = ret;
	e->flags = a->flags;
	e->fs_fd = a->fs_fd;
	e->source_fd = a->source_fd;
	e->target_fd = a->target_fd;
	e->aux = a->aux;
	e->cmd = a->cmd;
	e->op = a->op;
	e->has = a->has;
	if (a->attr_ptr && !read_attr(a))
		e->has |= MNT_ATTR_UNREAD;
	e->attr_set = a->attr_set;
	e->attr_clr = a->attr_clr;
	e->present = 0;
	e->unread = 0;
	e->truncated = a->truncated;
}

static __always_inline int exit_call(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct mnt_event *e;
	struct mnt_args *a;
	__u32 off;

	a = bpf_map_lookup_elem(&starts, &tid);
	if (!a)
		return 0;
	e = ct_scratch(&event_scratch);
	if (e && (!failed_only || ret < 0)) {
		fill(e, a, ret);
		off = put_str(e, a, MNT_SOURCE, 0);
		off = put_str(e, a, MNT_TARGET, off);
		off = put_str(e, a, MNT_FSTYPE, off);
		off = put_str(e, a, MNT_DATA, off);
		CT_SEND(ctx, e, offsetof(struct mnt_event, data) + off);
	}
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

/*
 * Every call's exit is this one program: the record saved at entry says
 * which call it was. User space attaches it to the sys_exit_* tracepoint of
 * each call it traces (ct_attach_also()), so that it is verified once.
 */
SEC("tracepoint/syscalls/sys_exit_mount")
int handle_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_call(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
