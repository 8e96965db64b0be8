// SPDX-License-Identifier: GPL-2.0
/*
 * Successful execs are reported from sched:sched_process_exec, where the new
 * program's argv lies on its own stack (mm->arg_start .. arg_end), resident
 * and complete. Failed execs never reach it: with -x, sys_enter_execve(at)
 * remembers the caller's filename and argv pointers and sys_exit reads them.
 *
 * The exec handler exists three times and user space loads one: tp_btf and
 * raw tracepoints get the linux_binprm, whose interp differs from filename
 * exactly when an interpreter (#! or binfmt_misc) ran and put its words in
 * front of argv; the plain tracepoint cannot tell.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "argv.bpf.h"
#include "events.bpf.h"
#include "filter.bpf.h"
#include "task.bpf.h"
#include "execsnoop.h"

const volatile bool trace_failures = false;
const volatile __u32 target_ppid = 0;
const volatile char name_filter[EXEC_COMM_LEN] = {};
const volatile __u32 name_filter_len = 0;
const volatile __u32 max_args = 20;
/* Is the time shown? Else the clock is not read. */
const volatile bool want_ts = true;

struct exec_start {
	const char *filename;
	const char *const *argv;
	int dirfd;
	bool empty_path;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct exec_start);
} starts SEC(".maps");

CT_SCRATCH(scratch, struct exec_event);

_Static_assert(EXEC_ARGS_BYTES == CT_ARGV_BYTES &&
	       EXEC_MAX_ARGS == CT_ARGV_MAX_ARGS,
	       "execsnoop's argv limits are argv.bpf.h's");

/* argv gets at most ARGS_MASK bytes of data[] (argv.bpf.h). */
#define ARGS_MASK CT_ARGV_MASK
/* A script's argv also holds its interpreters' words. */
#define SCRIPT_ARGS_MAX (ARGS_MASK + EXEC_INTERP_BYTES)
#define AT_EMPTY_PATH 0x1000

/*
 * The event of an exec by task, the current task, with who execs filled
 * in; NULL if the filters reject it, the cheapest first, before the event
 * is touched. typed: task is a BTF pointer (tp_btf's), whose numbers and
 * name are read with loads, not helper calls (a pointer loaded through
 * it would cost every start its verification instead).
 */
static __always_inline struct exec_event *new_event(struct task_struct *task,
						    bool typed)
{
	char comm[EXEC_COMM_LEN];
	struct exec_event *e;
	__u32 ppid, tid;

	if (!ct_task_wanted())
		return NULL;
	ct_current_comm(task, typed, comm);
	if (!ct_comm_contains(comm, name_filter, name_filter_len))
		return NULL;
	ppid = BPF_CORE_READ(task, real_parent, tgid);
	if (target_ppid && ppid != target_ppid)
		return NULL;
	e = ct_scratch(&scratch);
	if (!e)
		return NULL;
	__builtin_memcpy(e->comm, comm, sizeof(comm));
	e->ppid = ppid;
	ct_current_ids(task, typed, &e->pid, &tid);
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->ts = want_ts ? bpf_ktime_get_ns() : 0;
	e->flags = 0;
	return e;
}

static __always_inline long read_str(char *dst, __u32 size, const char *src,
				     bool user)
{
	if (user)
		return bpf_probe_read_user_str(dst, size, src);
	return bpf_probe_read_kernel_str(dst, size, src);
}

static __always_inline void read_filename(struct exec_event *e,
					  const char *filename, bool user)
{
	__u32 off = e->args_len;
	char last[2];
	long n;

	/* argv took at most SCRIPT_ARGS_MAX bytes: the verifier sees it. */
	if (off > SCRIPT_ARGS_MAX)
		off = SCRIPT_ARGS_MAX;
	n = read_str(&e->data[off], EXEC_FILENAME_BYTES, filename, user);
	if (n < 0)
		n = 0;
	/* A full buffer holds the whole name if its NUL was the last byte. */
	if (n == EXEC_FILENAME_BYTES &&
	    read_str(last, sizeof(last), filename + EXEC_FILENAME_BYTES - 1,
		     user) == 2)
		e->flags |= EXEC_FILENAME_TRUNCATED;
	e->filename_len = n;
}

static __always_inline void send(void *ctx, struct exec_event *e)
{
	__u32 size = offsetof(struct exec_event, data) + e->args_len +
		     e->filename_len;

	CT_SEND(ctx, e, size);
}

/*
 * Report a successful exec of the file bprm names (NULL: filename, from
 * the plain tracepoint); task and typed as for new_event().
 */
static __always_inline int on_exec(void *ctx, __u32 old_pid,
				   struct task_struct *task, bool typed,
				   struct linux_binprm *bprm,
				   const char *filename)
{
	struct exec_event *e;
	bool interp = false;
	bool cut = false;

	/* The exec succeeded: nothing to report at exit, under the old tid. */
	if (trace_failures)
		bpf_map_delete_elem(&starts, &old_pid);

	e = new_event(task, typed);
	if (!e)
		return 0;
	e->ret = 0;
	e->dirfd = EXEC_AT_FDCWD;
	/* Char pointers: scalars to the verifier, loaded at no cost. */
	if (bprm && typed) {
		filename = bprm->filename;
		interp = bprm->interp != filename;
	} else if (bprm) {
		filename = BPF_CORE_READ(bprm, filename);
		interp = BPF_CORE_READ(bprm, interp) != filename;
	}
	if (interp)
		e->flags |= EXEC_INTERP;
	/* The caller's part of a script's argv gets ARGS_MASK bytes too. */
	e->args_len = ct_task_args(task, e->data,
				   interp ? SCRIPT_ARGS_MAX : ARGS_MASK,
				   SCRIPT_ARGS_MAX, &cut);
	if (cut)
		e->flags |= EXEC_ARGS_TRUNCATED;
	read_filename(e, filename, false);
	send(ctx, e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(btf_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	return on_exec(ctx, old_pid, p, true, bprm, NULL);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(raw_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	return on_exec(ctx, old_pid, p, false, bprm, NULL);
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	return on_exec(ctx, ctx->old_pid,
		       (struct task_struct *)bpf_get_current_task(), false,
		       NULL, (char *)ctx + (ctx->__data_loc_filename & 0xffff));
}

static __always_inline int enter_exec(const char *filename,
				      const char *const *argv, int dirfd,
				      int flags)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_start s = { filename, argv, dirfd,
				!!(flags & AT_EMPTY_PATH) };

	if (!ct_task_wanted())
		return 0;
	ct_keep_call(&starts, &tid, &s);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int handle_enter_execve(struct trace_event_raw_sys_enter *ctx)
{
	return enter_exec((const char *)ctx->args[0],
			  (const char *const *)ctx->args[1], EXEC_AT_FDCWD, 0);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int handle_enter_execveat(struct trace_event_raw_sys_enter *ctx)
{
	return enter_exec((const char *)ctx->args[1],
			  (const char *const *)ctx->args[2], (int)ctx->args[0],
			  (int)ctx->args[4]);
}

/*
 * Copy argv string by string: the caller's pages may not all be there.
 * loop: with bpf_loop(), as in ct_user_argv().
 */
static __always_inline void read_argv(struct exec_event *e,
				      const char *const *argv, bool loop)
{
	bool cut = false;

	e->args_len = ct_user_argv(e->data, argv, max_args, &cut, loop);
	if (cut)
		e->flags |= EXEC_ARGS_TRUNCATED;
}

static __always_inline int exit_exec(void *ctx, long ret, bool loop)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_start *s;
	struct exec_event *e;

	s = bpf_map_lookup_elem(&starts, &tid);
	if (!s)
		return 0;
	e = ret < 0 ? new_event((struct task_struct *)bpf_get_current_task(),
				false) : NULL;
	if (e) {
		e->ret = ret;
		e->dirfd = s->dirfd;
		if (s->empty_path)
			e->flags |= EXEC_EMPTY_PATH;
		read_argv(e, s->argv, loop);
		read_filename(e, s->filename, true);
		send(ctx, e);
	}
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int handle_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	return exit_exec(ctx, ctx->ret, false);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int handle_exit_execveat(struct trace_event_raw_sys_exit *ctx)
{
	return exit_exec(ctx, ctx->ret, false);
}

/* The same with bpf_loop(): user space loads these or the above. */
SEC("tracepoint/syscalls/sys_exit_execve")
int loop_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	return exit_exec(ctx, ctx->ret, true);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int loop_exit_execveat(struct trace_event_raw_sys_exit *ctx)
{
	return exit_exec(ctx, ctx->ret, true);
}

char LICENSE[] SEC("license") = "GPL";
