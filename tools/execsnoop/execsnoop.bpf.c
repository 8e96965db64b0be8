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

#include "events.bpf.h"
#include "filter.bpf.h"
#include "execsnoop.h"

const volatile bool trace_failures = false;
const volatile __u32 target_ppid = 0;
const volatile char name_filter[EXEC_COMM_LEN] = {};
const volatile __u32 name_filter_len = 0;
const volatile __u32 max_args = 20;

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

/*
 * argv gets at most ARGS_MASK bytes of data[], so that masking an offset
 * with it is exact and shows the verifier the bound.
 */
#define ARGS_MASK (EXEC_ARGS_BYTES - 1)
/* A script's argv also holds its interpreters' words. */
#define SCRIPT_ARGS_MAX (ARGS_MASK + EXEC_INTERP_BYTES)
#define AT_EMPTY_PATH 0x1000

static __always_inline __u32 parent_tgid(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(task, real_parent, tgid);
}

/* Fill in who execs; false if the filters reject the task. */
static __always_inline bool fill_task(struct exec_event *e)
{
	if (!ct_task_wanted())
		return false;
	e->ppid = parent_tgid();
	if (target_ppid && e->ppid != target_ppid)
		return false;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (!ct_comm_contains(e->comm, name_filter, name_filter_len))
		return false;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->ts = bpf_ktime_get_ns();
	e->flags = 0;
	return true;
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

/* Report a successful exec; interp: argv starts with interpreters' words. */
static __always_inline int on_exec(void *ctx, __u32 old_pid,
				   const char *filename, bool interp)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned long start, end, len, max;
	struct exec_event *e;

	/* The exec succeeded: nothing to report at exit, under the old tid. */
	if (trace_failures)
		bpf_map_delete_elem(&starts, &old_pid);

	e = ct_scratch(&scratch);
	if (!e || !fill_task(e))
		return 0;
	e->ret = 0;
	e->dirfd = EXEC_AT_FDCWD;
	start = BPF_CORE_READ(task, mm, arg_start);
	end = BPF_CORE_READ(task, mm, arg_end);
	len = end > start ? end - start : 0;
	/* The caller's part of a script's argv gets ARGS_MASK bytes too. */
	max = interp ? SCRIPT_ARGS_MAX : ARGS_MASK;
	if (interp)
		e->flags |= EXEC_INTERP;
	if (len > max) {
		len = max;
		e->flags |= EXEC_ARGS_TRUNCATED;
	}
	/* No-op, but older verifiers lose the bound over the branches. */
	if (len > SCRIPT_ARGS_MAX)
		len = SCRIPT_ARGS_MAX;
	if (bpf_probe_read_user(e->data, len, (void *)start))
		len = 0;
	e->args_len = len;
	read_filename(e, filename, false);
	send(ctx, e);
	return 0;
}

static __always_inline int on_exec_bprm(void *ctx, __u32 old_pid,
					struct linux_binprm *bprm)
{
	const char *filename = BPF_CORE_READ(bprm, filename);

	return on_exec(ctx, old_pid, filename,
		       BPF_CORE_READ(bprm, interp) != filename);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(btf_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	return on_exec_bprm(ctx, old_pid, bprm);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(raw_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	return on_exec_bprm(ctx, old_pid, bprm);
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	return on_exec(ctx, ctx->old_pid,
		       (char *)ctx + (ctx->__data_loc_filename & 0xffff),
		       false);
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
	bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
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

/* Copy argv string by string: the caller's pages may not all be there. */
static __always_inline void read_argv(struct exec_event *e,
				      const char *const *argv)
{
	__u32 off = 0;
	int i;

	/* One more than EXEC_MAX_ARGS: --max-args 128 sees the 129th. */
	for (i = 0; i <= EXEC_MAX_ARGS; i++) {
		const char *arg = NULL;
		long n;

		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		/* One more pointer than shown tells whether there are more. */
		if (i >= max_args || off >= ARGS_MASK) {
			e->flags |= EXEC_ARGS_TRUNCATED;
			break;
		}
		/* data[] is twice EXEC_ARGS_BYTES: a whole read always fits. */
		off &= ARGS_MASK;
		n = bpf_probe_read_user_str(&e->data[off], EXEC_ARGS_BYTES, arg);
		if (n <= 0)
			break;
		off += n;
		if (n == EXEC_ARGS_BYTES || off > ARGS_MASK) {
			e->flags |= EXEC_ARGS_TRUNCATED;
			off = ARGS_MASK;
			break;
		}
	}
	e->args_len = off & ARGS_MASK;
}

static __always_inline int exit_exec(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_start *s;
	struct exec_event *e;

	s = bpf_map_lookup_elem(&starts, &tid);
	if (!s)
		return 0;
	e = ret < 0 ? ct_scratch(&scratch) : NULL;
	if (e && fill_task(e)) {
		e->ret = ret;
		e->dirfd = s->dirfd;
		if (s->empty_path)
			e->flags |= EXEC_EMPTY_PATH;
		read_argv(e, s->argv);
		read_filename(e, s->filename, true);
		send(ctx, e);
	}
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int handle_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	return exit_exec(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int handle_exit_execveat(struct trace_event_raw_sys_exit *ctx)
{
	return exit_exec(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
