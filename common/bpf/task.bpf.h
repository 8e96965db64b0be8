/* SPDX-License-Identifier: GPL-2.0 */
/* The current task's identity, for an event's header. */
#ifndef CT_TASK_BPF_H
#define CT_TASK_BPF_H

#include <bpf/bpf_core_read.h>

#include "task_info.h"

/*
 * Set by user space where the kernel has bpf_get_current_task_btf()
 * (ct_has_task_btf()): the current task is then a BTF-typed pointer, and
 * what hangs off it is read with plain loads, not a helper call a field.
 */
const volatile bool ct_task_btf = false;

/*
 * typed false: helper reads even where ct_task_btf is set, for a program
 * that runs rarely. Each pointer loaded through a typed one costs every
 * start its verification: 6.18 looks up, by name through the whole kernel
 * BTF, whether it is trusted (~1.8 ms for task->cred). A helper read costs
 * some ns more per run instead.
 */
#define CT_TYPED(typed) ((typed) && ct_task_btf)

static __always_inline struct task_struct *ct_current_task_as(bool typed)
{
	if (CT_TYPED(typed))
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

static __always_inline struct task_struct *ct_current_task(void)
{
	return ct_current_task_as(true);
}

/*
 * BPF_CORE_READ(src, a, ...), as plain loads (src->a->...) where src comes
 * from ct_current_task_as(typed) through CT_READ_AS()s and the task is
 * typed.
 */
#define CT_READ_AS(typed, src, a, ...)					\
	(CT_TYPED(typed) ? ___arrow(src, a, ##__VA_ARGS__) :		\
			   BPF_CORE_READ(src, a, ##__VA_ARGS__))

#define CT_READ(src, a, ...) CT_READ_AS(true, src, a, ##__VA_ARGS__)

/*
 * The current task's process and thread IDs (as bpf_get_current_pid_tgid()
 * has them). typed: task is the current task as a BTF pointer
 * (ct_current_task() with ct_task_btf, a tp_btf argument), read with two
 * loads instead of a helper call; else task is not used.
 */
static __always_inline void ct_current_ids(struct task_struct *task,
					   bool typed, __u32 *pid, __u32 *tid)
{
	__u64 id;

	if (typed) {
		*pid = task->tgid;
		*tid = task->pid;
		return;
	}
	id = bpf_get_current_pid_tgid();
	*pid = id >> 32;
	*tid = (__u32)id;
}

/*
 * The current task's name into comm (16 bytes, NUL-padded), as
 * bpf_get_current_comm() copies it; task and typed as for
 * ct_current_ids(). The kernel keeps it NUL-padded, so two loads copy it.
 */
static __always_inline void ct_current_comm(struct task_struct *task,
					    bool typed, char comm[16])
{
	__u64 head, tail;

	if (!typed) {
		bpf_get_current_comm(comm, 16);
		return;
	}
	head = *(__u64 *)&task->comm[0];
	tail = *(__u64 *)&task->comm[8];
	__builtin_memcpy(comm, &head, 8);
	__builtin_memcpy(comm + 8, &tail, 8);
}

/*
 * The namespace task's pid lives in (task_active_pid_ns()): the pid's
 * own level of its numbers[]; levels stop at 32 (MAX_PID_NS_LEVEL).
 */
static __always_inline __u32 ct_task_pid_ns(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	struct pid_namespace *ns = NULL;
	__u32 level;

	if (!pid)
		return 0;
	level = BPF_CORE_READ(pid, level);
	bpf_probe_read_kernel(&ns, sizeof(ns),
			      (void *)pid +
			      bpf_core_field_offset(struct pid, numbers) +
			      (level & 31) * bpf_core_type_size(struct upid) +
			      bpf_core_field_offset(struct upid, ns));
	return ns ? BPF_CORE_READ(ns, ns.inum) : 0;
}

/* Fill t with the current task's identity. */
static __always_inline void ct_task_info_fill(struct ct_task_info *t)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ugid = bpf_get_current_uid_gid();

	t->pid = id >> 32;
	t->tid = (__u32)id;
	t->ppid = BPF_CORE_READ(task, real_parent, tgid);
	t->uid = (__u32)ugid;
	t->gid = ugid >> 32;
	t->cgroup_id = bpf_get_current_cgroup_id();
	t->mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	t->pid_ns = ct_task_pid_ns(task);
	t->reserved = 0;
	bpf_get_current_comm(t->comm, sizeof(t->comm));
}

/*
 * Is task in the middle of an exec? Its user registers are then the old
 * program's, and its mappings the new one's being made: a user stack taken
 * now is neither's, and mappings read now miss most of the new program.
 */
static __always_inline bool ct_task_in_exec(struct task_struct *task)
{
	if (!bpf_core_field_exists(task->in_execve))
		return false;
	return BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
}

#endif
