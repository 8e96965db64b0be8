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
#include "task.bpf.h"
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

/* By syscall: most numbers (SYSCOUNT_ARRAY_NRS), with no call to find. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2 * SYSCOUNT_ARRAY_NRS);	/* 1 with -P */
	__type(key, __u32);
	__type(value, struct syscount_calls);
} calls SEC(".maps");

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

/*
 * The current task as a BTF pointer where the kernel has one
 * (ct_task_btf): its process ID and its compat status are then two loads
 * after one call, where helpers take a call each (and a read). NULL else.
 */
static __always_inline struct task_struct *typed_task(void)
{
	return ct_task_btf ? bpf_get_current_task_btf() : NULL;
}

static __always_inline __u32 current_tgid(struct task_struct *task)
{
	return task ? task->tgid : bpf_get_current_pid_tgid() >> 32;
}

/* Is this a 32-bit program's call? task from typed_task(). */
static __always_inline bool in_compat(struct task_struct *task)
{
	if (task)
		return ct_in_compat_syscall_typed(task);
	return ct_in_compat_syscall((void *)bpf_get_current_task());
}

/* A call by number in the array; false for a number out of its range. */
static __always_inline bool add_call(__u32 nr, bool compat, __u64 ns)
{
	__u32 i = nr + (compat ? SYSCOUNT_ARRAY_NRS : 0);
	struct syscount_calls *c;

	if (nr >= SYSCOUNT_ARRAY_NRS)
		return false;
	c = bpf_map_lookup_elem(&calls, &i);
	if (c) {
		/* Per-CPU values: no other CPU writes here. */
		c->count++;
		c->total_ns += ns;
	}
	return true;
}

static __always_inline void add(struct task_struct *task, __u32 nr, __u64 ns)
{
	struct syscount_value *v, zero = {};
	bool compat;
	__u64 key;
	long err;

	if (by_process) {
		key = current_tgid(task);
	} else {
		compat = in_compat(task);
		if (add_call(nr, compat, ns))
			return;
		/* A syscall's key: its number, marked for a 32-bit program. */
		key = compat ? nr | SYSCOUNT_COMPAT : nr;
	}
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

/*
 * The filters (first: a call they reject costs no more), and not syscount
 * itself: its reads would skew the counts. *task: typed_task()'s.
 */
static __always_inline bool task_wanted(struct task_struct **task)
{
	if (!ct_task_wanted())
		return false;
	*task = typed_task();
	return current_tgid(*task) != self_tgid;
}

static __always_inline void on_enter(__u32 nr)
{
	struct task_struct *task;
	__u32 tid;
	__u64 now;

	if (!task_wanted(&task))
		return;
	if (!measure_time) {
		add(task, nr, 0);
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
	struct task_struct *task;
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
		if (!result_wanted(ret))
			return;
		task = typed_task();
	} else if (!result_wanted(ret) || !task_wanted(&task)) {
		/* The result first: it costs nothing to look at. */
		return;
	}
	add(task, nr, ns);
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
