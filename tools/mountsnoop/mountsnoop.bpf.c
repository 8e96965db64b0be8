// SPDX-License-Identifier: GPL-2.0
/*
 * Each mount-related system call is seen at its syscalls:sys_exit_*
 * tracepoint, which sends the event with the result. Where
 * bpf_task_pt_regs() exists (5.15+) and the time in the call is not asked
 * for, those alone: the arguments come from the registers the call saved,
 * the strings from the caller's memory, which the kernel has just read
 * (resident). Else sys_enter_* saves the arguments per thread too (strings
 * copied at once, before the caller can change them), with the time; a
 * string that faulted at entry (its page not yet in memory) is read again
 * at exit: the kernel has copied it by then, which brings the page in.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "filter.bpf.h"
#include "syscall.bpf.h"
#include "task.bpf.h"
#include "mountsnoop.h"

const volatile bool failed_only = false;
const volatile __u32 target_mnt_ns = 0;
/* The exit tracepoints alone, reading the arguments from the registers. */
const volatile bool args_in_regs = false;
/* Each call's number on this architecture (from user space); -1: none. */
const volatile int nr_of[CALL_COUNT] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1,
};

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

	ct_keep_call(&starts, &tid, a);
	return 0;
}

/*
 * String argument p for slot: copied now (at entry), else its pointer kept
 * for put_str() to read at exit.
 */
static __always_inline void str_arg(struct mnt_args *a, int slot, __u64 p,
				    bool copy)
{
	if (copy)
		save_str(a, slot, p);
	else
		a->ptr[slot] = p;
}

/* The arguments v of call op, strings copied now or not (copy). */
static __always_inline void args_of(struct mnt_args *a, int op,
				    const __u64 v[5], bool copy)
{
	a->has = MNT_HAS_FLAGS;
	switch (op) {
	case CALL_MOUNT:
		str_arg(a, MNT_SOURCE, v[0], copy);
		str_arg(a, MNT_TARGET, v[1], copy);
		str_arg(a, MNT_FSTYPE, v[2], copy);
		a->flags = v[3];
		str_arg(a, MNT_DATA, v[4], copy);
		break;
	case CALL_UMOUNT:
		str_arg(a, MNT_TARGET, v[0], copy);
		a->flags = v[1];
		break;
	case CALL_FSOPEN:
		str_arg(a, MNT_FSTYPE, v[0], copy);
		a->flags = v[1];
		break;
	case CALL_FSCONFIG:
		a->fs_fd = v[0];
		a->cmd = v[1];
		str_arg(a, MNT_FSTYPE, v[2], copy);
		/* Other commands' values are binary, or no pointer at all. */
		if (a->cmd == FSCONFIG_SET_STRING ||
		    a->cmd == FSCONFIG_SET_PATH ||
		    a->cmd == FSCONFIG_SET_PATH_EMPTY)
			str_arg(a, MNT_DATA, v[3], copy);
		a->aux = v[4];
		a->has = MNT_HAS_FS_FD | MNT_HAS_CMD;
		break;
	case CALL_FSMOUNT:
		a->fs_fd = v[0];
		a->flags = v[1];
		a->attr_set = v[2];
		a->has = MNT_HAS_FS_FD | MNT_HAS_FLAGS | MNT_HAS_ATTR;
		break;
	case CALL_MOVE_MOUNT:
		a->source_fd = v[0];
		str_arg(a, MNT_SOURCE, v[1], copy);
		a->target_fd = v[2];
		str_arg(a, MNT_TARGET, v[3], copy);
		a->flags = v[4];
		a->has = MNT_HAS_SOURCE_FD | MNT_HAS_TARGET_FD | MNT_HAS_FLAGS;
		break;
	case CALL_OPEN_TREE:
		a->source_fd = v[0];
		str_arg(a, MNT_SOURCE, v[1], copy);
		a->flags = v[2];
		a->has = MNT_HAS_SOURCE_FD | MNT_HAS_FLAGS;
		break;
	case CALL_FSPICK:
		a->target_fd = v[0];
		str_arg(a, MNT_TARGET, v[1], copy);
		a->flags = v[2];
		a->has = MNT_HAS_TARGET_FD | MNT_HAS_FLAGS;
		break;
	case CALL_MOUNT_SETATTR:
		a->target_fd = v[0];
		str_arg(a, MNT_TARGET, v[1], copy);
		a->flags = v[2];
		/* Read at exit (fill()) unless read now. */
		a->attr_ptr = v[3];
		a->has = MNT_HAS_TARGET_FD | MNT_HAS_FLAGS | MNT_HAS_ATTR |
			 MNT_HAS_ATTR_CLR;
		if (copy && a->attr_ptr && read_attr(a))
			a->attr_ptr = 0;
		break;
	}
}

/*
 * Entry (pairs): the call's n arguments, no more: a program may read no
 * further into its tracepoint's record than the record has.
 */
static __always_inline int enter_call(struct trace_event_raw_sys_enter *ctx,
				      int op, int n)
{
	struct mnt_args *a = begin(op);
	__u64 v[5] = {};

	if (!a)
		return 0;
	v[0] = ctx->args[0];
	v[1] = ctx->args[1];
	if (n > 2)
		v[2] = ctx->args[2];
	if (n > 3)
		v[3] = ctx->args[3];
	if (n > 4)
		v[4] = ctx->args[4];
	args_of(a, op, v, true);
	return save(a);
}

#define ENTER_PROGRAM(call, op, n)					\
SEC("tracepoint/syscalls/sys_enter_" #call)				\
int enter_##call(struct trace_event_raw_sys_enter *ctx)		\
{									\
	return enter_call(ctx, op, n);					\
}

ENTER_PROGRAM(mount, CALL_MOUNT, 5)
ENTER_PROGRAM(umount, CALL_UMOUNT, 2)
ENTER_PROGRAM(fsopen, CALL_FSOPEN, 2)
ENTER_PROGRAM(fsconfig, CALL_FSCONFIG, 5)
ENTER_PROGRAM(fsmount, CALL_FSMOUNT, 3)
ENTER_PROGRAM(move_mount, CALL_MOVE_MOUNT, 5)
ENTER_PROGRAM(open_tree, CALL_OPEN_TREE, 3)
ENTER_PROGRAM(fspick, CALL_FSPICK, 3)
ENTER_PROGRAM(mount_setattr, CALL_MOUNT_SETATTR, 4)

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

static __always_inline void send_call(void *ctx, struct mnt_args *a,
				      long ret)
{
	struct mnt_event *e = ct_scratch(&event_scratch);
	__u32 off;

	if (!e || (failed_only && ret >= 0))
		return;
	fill(e, a, ret);
	off = put_str(e, a, MNT_SOURCE, 0);
	off = put_str(e, a, MNT_TARGET, off);
	off = put_str(e, a, MNT_FSTYPE, off);
	off = put_str(e, a, MNT_DATA, off);
	CT_SEND(ctx, e, offsetof(struct mnt_event, data) + off);
}

/* Which call (enum mnt_call) has number nr; -1 for none of them. */
static __always_inline int call_of(int nr)
{
	for (int i = 0; i < CALL_COUNT; i++)
		if (nr == nr_of[i])
			return i;
	return -1;
}

/* The call's arguments as the caller passed them, from its registers. */
static __always_inline int exit_regs(void *ctx, int nr, long ret)
{
	struct task_struct *task;
	struct pt_regs *regs;
	struct mnt_args *a;
	int op = call_of(nr);
	__u64 v[5];

	if (op < 0 || (failed_only && ret >= 0))
		return 0;
	a = begin(op);
	if (!a)
		return 0;
	task = bpf_get_current_task_btf();
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	/* regs is typed: plain loads, not a helper call a register. */
	v[0] = PT_REGS_PARM1_SYSCALL(regs);
	v[1] = PT_REGS_PARM2_SYSCALL(regs);
	v[2] = PT_REGS_PARM3_SYSCALL(regs);
	v[3] = PT_REGS_PARM4_SYSCALL(regs);
	v[4] = PT_REGS_PARM5_SYSCALL(regs);
	args_of(a, op, v, false);
	send_call(ctx, a, ret);
	return 0;
}

static __always_inline int exit_call(void *ctx, int nr, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct mnt_args *a;

	if (args_in_regs)
		return exit_regs(ctx, nr, ret);
	a = bpf_map_lookup_elem(&starts, &tid);
	if (!a)
		return 0;
	send_call(ctx, a, ret);
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

/*
 * Every call's exit is this one program: the record's syscall number says
 * which call it was. User space attaches it to the sys_exit_* tracepoint of
 * each call it traces (ct_attach_also()), so that it is verified once.
 */
SEC("tracepoint/syscalls/sys_exit_mount")
int handle_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_call(ctx, ct_tp_syscall_nr(ctx), ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
