// SPDX-License-Identifier: GPL-2.0
/*
 * The stat family at its system call tracepoints. Where bpf_task_pt_regs()
 * exists (5.15+), the sys_exit_* tracepoints alone: the arguments come from
 * the registers the call saved, the name from user memory the kernel has
 * just read (resident). Before that, tracepoint pairs: sys_enter_* keeps
 * the arguments of the calls the filters want, per thread, for the exit.
 * Every filter runs here; the header is filled in only for calls that pass.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "contains.bpf.h"
#include "events.bpf.h"
#include "file.bpf.h"
#include "filter.bpf.h"
#include "path.bpf.h"
#include "syscall.bpf.h"
#include "task.bpf.h"
#include "statsnoop.h"

#define AT_EMPTY_PATH 0x1000

_Static_assert(STAT_HALF == CT_PATH_HALF && STAT_PATH_BYTES == CT_PATH_BYTES,
	       "statsnoop's path buffer is path.bpf.h's");
_Static_assert(__builtin_offsetof(struct stat_event, path) % 8 == 0,
	       "the --contains search reads path[] a word at a time");

const volatile bool failed_only = false;
const volatile bool full_path = false;
/* Are the time and the uid shown (-t, -U, --json...)? Else not read. */
const volatile bool want_ts = true;
const volatile bool want_uid = true;
const volatile char name_filter[STAT_COMM_LEN] = {};
const volatile __u32 name_filter_len = 0;
/* The exit tracepoints alone, reading the arguments from the registers. */
const volatile bool args_in_regs = false;
/* Each call's number on this architecture (from user space); -1: none. */
const volatile int call_nr[STAT_SYS_COUNT] = { -1, -1, -1, -1, -1, -1, -1 };

struct stat_args {
	const char *name;
	__s32 fd;
	__u32 flags;
	__u32 mask;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct stat_args);
} starts SEC(".maps");

CT_SCRATCH(event_scratch, struct stat_event);
CT_SCRATCH(path_scratch, struct ct_path_buf);

static __always_inline bool stat_wanted(void)
{
	char comm[STAT_COMM_LEN];

	if (!ct_task_wanted())
		return false;
	if (!name_filter_len)
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	return ct_comm_contains(comm, name_filter, name_filter_len);
}

/* The arguments of call sys, from its first four argument values. */
static __always_inline void stat_args_of(struct stat_args *a, __u8 sys,
					 const unsigned long v[4])
{
	a->fd = CT_AT_FDCWD;
	a->name = NULL;
	a->flags = 0;
	a->mask = 0;
	switch (sys) {
	case STAT_SYS_FSTAT:
	case STAT_SYS_FSTATFS:
		a->fd = v[0];
		break;
	case STAT_SYS_NEWFSTATAT:
		a->fd = v[0];
		a->name = (const char *)v[1];
		a->flags = v[3];
		break;
	case STAT_SYS_STATX:
		a->fd = v[0];
		a->name = (const char *)v[1];
		a->flags = v[2];
		a->mask = v[3];
		break;
	default:
		a->name = (const char *)v[0];
	}
}

/*
 * -F: an fd's own path (fstat, fstatfs, and AT_EMPTY_PATH with an empty
 * name), else the name placed in its directory.
 */
static __always_inline __u32 full_path_of(struct ct_path_buf *pb,
					  const struct stat_args *a,
					  __u8 *pflags, bool loop)
{
	struct task_struct *task = ct_current_task();
	struct path own = {};
	char first = 0;

	/* An empty name matters only with AT_EMPTY_PATH. */
	if (a->name && (a->flags & AT_EMPTY_PATH))
		bpf_probe_read_user(&first, 1, a->name);
	if (!a->name || (!first && (a->flags & AT_EMPTY_PATH))) {
		if (a->fd == CT_AT_FDCWD)
			own = CT_READ(task, fs, pwd);
		else
			ct_fd_path_as(task, a->fd, &own, true, loop);
	}
	return ct_full_path_as(pb, task, &own, a->fd, a->name, pflags, true,
			       loop);
}

/*
 * The -x and --contains filters, then the event for call a returning ret.
 * --contains implies -F: the path is searched where it was built, and
 * copied to the event only if it matches. Only the programs built with
 * walk have -F's walk: without -F, a run loads one without (the verifier
 * reads every instruction at each start, a walk it then drops too).
 */
static __always_inline int send_stat(void *ctx, const struct stat_args *a,
				     __u8 sys, int ret, bool search,
				     bool walk)
{
	struct task_struct *task;
	struct ct_path_buf *pb;
	struct stat_event *e;

	if (failed_only && ret >= 0)
		return 0;
	e = ct_scratch(&event_scratch);
	pb = ct_scratch(&path_scratch);
	if (!e || !pb)
		return 0;
	e->path_flags = 0;
	e->path_len = 0;
	if (walk && full_path) {
		e->path_len = full_path_of(pb, a, &e->path_flags, search);
		if (search && ct_contains_in_kernel &&
		    !ct_path_contains(pb, pb->pos, e->path_len))
			return 0;
		ct_path_out(e->path, pb, e->path_len);
	} else if (a->name) {
		e->path_len = ct_path_copy_name(e->path, a->name,
						&e->path_flags);
	}
	task = ct_current_task();
	e->ts = want_ts ? bpf_ktime_get_ns() : 0;
	ct_current_ids(task, ct_task_btf, &e->pid, &e->tid);
	/* A helper call: task->cred would cost each start 1.8 ms to verify. */
	e->uid = want_uid ? (__u32)bpf_get_current_uid_gid() : 0;
	e->ret = ret;
	e->fd = a->fd;
	e->flags = a->flags;
	e->mask = a->mask;
	e->syscall = sys;
	ct_current_comm(task, ct_task_btf, e->comm);
	CT_SEND(ctx, e, offsetof(struct stat_event, path) + e->path_len);
	return 0;
}

static __always_inline int enter_stat(struct trace_event_raw_sys_enter *ctx,
				      __u8 sys)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	unsigned long v[4];
	struct stat_args a;

	if (!stat_wanted())
		return 0;
	/* One load each: the verifier refuses a computed ctx offset. */
	v[0] = ctx->args[0];
	v[1] = ctx->args[1];
	v[2] = ctx->args[2];
	v[3] = ctx->args[3];
	stat_args_of(&a, sys, v);
	ct_keep_call(&starts, &tid, &a);
	return 0;
}

/* The arguments as the caller passed them, from the saved registers. */
static __always_inline void regs_args(struct stat_args *a, __u8 sys)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	unsigned long v[4];

	/* regs is typed: plain loads, not a helper call a register. */
	v[0] = PT_REGS_PARM1_SYSCALL(regs);
	v[1] = PT_REGS_PARM2_SYSCALL(regs);
	v[2] = PT_REGS_PARM3_SYSCALL(regs);
	v[3] = PT_REGS_PARM4_SYSCALL(regs);
	stat_args_of(a, sys, v);
}

static __always_inline int exit_stat(void *ctx, long ret, __u8 sys,
				     bool search, bool walk)
{
	struct stat_args *ap, a;
	__u32 tid;

	if (args_in_regs) {
		if (!stat_wanted())
			return 0;
		regs_args(&a, sys);
		return send_stat(ctx, &a, sys, ret, search, walk);
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	ap = bpf_map_lookup_elem(&starts, &tid);
	if (!ap)
		return 0;
	a = *ap;
	bpf_map_delete_elem(&starts, &tid);
	return send_stat(ctx, &a, sys, ret, search, walk);
}

/* The entry programs, where the exits alone cannot read the arguments. */
#define ENTER_PROGRAM(call, sys)					\
SEC("tracepoint/syscalls/sys_enter_" #call)				\
int handle_enter_##call(struct trace_event_raw_sys_enter *ctx)		\
{									\
	return enter_stat(ctx, sys);					\
}

ENTER_PROGRAM(newstat, STAT_SYS_STAT)
ENTER_PROGRAM(newlstat, STAT_SYS_LSTAT)
ENTER_PROGRAM(newfstat, STAT_SYS_FSTAT)
ENTER_PROGRAM(newfstatat, STAT_SYS_NEWFSTATAT)
ENTER_PROGRAM(statx, STAT_SYS_STATX)
ENTER_PROGRAM(statfs, STAT_SYS_STATFS)
ENTER_PROGRAM(fstatfs, STAT_SYS_FSTATFS)

/* Which call (enum stat_syscall) has number nr; -1 for none of them. */
static __always_inline int stat_call_of(int nr)
{
	for (int i = 0; i < STAT_SYS_COUNT; i++)
		if (nr == call_nr[i])
			return i;
	return -1;
}

/*
 * One program for the seven exit tracepoints (user space attaches it to
 * each that exists): the same code verified seven times took most of the
 * tool's start-up. The call is told by the record's syscall number. It
 * comes three times: handle_exit without -F's walk, handle_exit_walk with
 * it unrolled, and handle_exit_search with bpf_loop() (5.17+) for the walk
 * and the in-kernel --contains search (contains.bpf.h). User space loads
 * one of them (ct_walk_program()).
 */
static __always_inline int exit_any(struct trace_event_raw_sys_exit *ctx,
				    bool search, bool walk)
{
	int sys = stat_call_of(ct_tp_syscall_nr(ctx));

	if (sys < 0)
		return 0;
	return exit_stat(ctx, ctx->ret, sys, search, walk);
}

SEC("tracepoint/syscalls/sys_exit_newfstatat")
int handle_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_any(ctx, false, false);
}

SEC("tracepoint/syscalls/sys_exit_newfstatat")
int handle_exit_walk(struct trace_event_raw_sys_exit *ctx)
{
	return exit_any(ctx, false, true);
}

SEC("tracepoint/syscalls/sys_exit_newfstatat")
int handle_exit_search(struct trace_event_raw_sys_exit *ctx)
{
	return exit_any(ctx, true, true);
}

char LICENSE[] SEC("license") = "GPL";
