// SPDX-License-Identifier: GPL-2.0
/*
 * Counts system calls in the kernel, keyed by syscall number or by process.
 * Which programs run depends on what is asked:
 *   plain counting       sys_enter only: every call made while tracing,
 *                        exit and exit_group included (they never return);
 *   -x / -e              sys_exit only: the result is known there;
 *   -L                   both: entry time per thread, counted at return;
 *                        and sched_process_exit and _exec, which forget or
 *                        move the entry time of a thread that never returns.
 * Each comes as a raw tracepoint (cheaper: no perf record is filled in) and
 * as a plain tracepoint for kernels without raw tracepoints; user space loads
 * one set.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "filter.bpf.h"
#include "syscall.bpf.h"
#include "syscount.h"

/* Errors are -1 .. -4095; anything else is a result (mmap addresses too). */
#define MAX_ERRNO 4095
#define EEXIST 17

/* The raw sys_exit tracepoint passes regs and ret: the number is in regs. */
#ifdef CT_REGS_SYSCALL_NR
const volatile bool raw_exit_supported = true;
#else
const volatile bool raw_exit_supported = false;
#endif

const volatile bool by_process = false;		/* -P */
const volatile bool measure_time = false;	/* -L */
const volatile bool failures_only = false;	/* -x */
const volatile __s32 only_errno = 0;		/* -e, positive */
const volatile __u32 self_tgid = 0;		/* syscount's own calls */

/* Calls not counted because the table was full. */
__u64 table_full = 0;
/* -L: calls not counted because too many threads were in syscalls at once. */
__u64 starts_full = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SYSCOUNT_MAX_SYSCALLS);	/* resized for -P */
	__type(key, __u64);
	__type(value, struct syscount_value);
} counts SEC(".maps");

/*
 * -L: when each thread entered its current syscall, deleted at its return.
 * exit and exit_group never return: the thread's exit deletes its entry.
 * A thread that execs while not the group leader returns under the
 * leader's id: the exec moves its entry there. Nothing else is left
 * behind, so a plain preallocated hash does, without an LRU map's list locks
 * at every update or its silent evictions: a full table is counted.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} starts SEC(".maps");

static __always_inline void fill_comm(struct syscount_value *v)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	/* The main thread's name is the process's; threads may rename. */
	BPF_CORE_READ_STR_INTO(&v->comm, task, group_leader, comm);
}

/* A syscall's key: its number, marked if a 32-bit program made it. */
static __always_inline __u64 syscall_key(__u32 nr)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return ct_in_compat_syscall(task) ? nr | SYSCOUNT_COMPAT : nr;
}

static __always_inline void add(__u32 nr, __u64 ns)
{
	__u64 key = by_process ? bpf_get_current_pid_tgid() >> 32 :
				 syscall_key(nr);
	struct syscount_value *v, zero = {};
	long err;

	v = bpf_map_lookup_elem(&counts, &key);
	if (!v) {
		if (by_process)
			fill_comm(&zero);
		/* -EEXIST: another CPU added the key meanwhile, fine. */
		err = bpf_map_update_elem(&counts, &key, &zero, BPF_NOEXIST);
		if (err && err != -EEXIST) {
			__sync_fetch_and_add(&table_full, 1);
			return;
		}
		v = bpf_map_lookup_elem(&counts, &key);
		if (!v)
			return;
	}
	/* Per-CPU values: no other CPU writes here. */
	v->count++;
	v->total_ns += ns;
}

/* The filters, and not syscount itself: its reads would skew the counts. */
static __always_inline bool task_wanted(void)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return false;
	return ct_task_wanted();
}

static __always_inline void on_enter(__u32 nr)
{
	__u32 tid;
	__u64 now;

	if (!task_wanted())
		return;
	if (!measure_time) {
		add(nr, 0);
		return;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	now = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&starts, &tid, &now, BPF_ANY))
		__sync_fetch_and_add(&starts_full, 1);
}

static __always_inline bool result_wanted(long ret)
{
	if (only_errno)
		return ret == -only_errno;
	if (failures_only)
		return ret < 0 && ret >= -MAX_ERRNO;
	return true;
}

static __always_inline void on_exit(__u32 nr, long ret)
{
	__u32 tid;
	__u64 *start, ns = 0;

	if (measure_time) {
		/*
		 * An entry means the filter took the task at entry; checking
		 * again could leave the entry behind (setuid, cgroup move).
		 */
		tid = (__u32)bpf_get_current_pid_tgid();
		start = bpf_map_lookup_elem(&starts, &tid);
		if (!start)
			return;
		ns = bpf_ktime_get_ns() - *start;
		bpf_map_delete_elem(&starts, &tid);
	} else if (!task_wanted()) {
		return;
	}
	if (result_wanted(ret))
		add(nr, ns);
}

/* -L: the thread is gone, in a syscall or not. */
static __always_inline void on_thread_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&starts, &tid);
}

/* -L: after an exec, the thread's id is the group leader's. */
static __always_inline void on_exec(__u32 old_tid)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *start;

	if (old_tid == tid)
		return;
	start = bpf_map_lookup_elem(&starts, &old_tid);
	if (!start)
		return;
	if (bpf_map_update_elem(&starts, &tid, start, BPF_ANY))
		__sync_fetch_and_add(&starts_full, 1);
	bpf_map_delete_elem(&starts, &old_tid);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(raw_enter, struct pt_regs *regs, long id)
{
	on_enter(id);
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(raw_exit, struct pt_regs *regs, long ret)
{
#ifdef CT_REGS_SYSCALL_NR
	on_exit(CT_REGS_SYSCALL_NR(regs), ret);
#endif
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int tp_enter(struct trace_event_raw_sys_enter *ctx)
{
	on_enter(ctx->id);
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_exit")
int tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	on_exit(ctx->id, ctx->ret);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(raw_proc_exit)
{
	on_thread_exit();
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(raw_proc_exec, struct task_struct *p, pid_t old_pid)
{
	on_exec(old_pid);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int tp_proc_exit(void *ctx)
{
	on_thread_exit();
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int tp_proc_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	on_exec(ctx->old_pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
