/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel task filter. User space sets ct_filter (read-only once loaded, so
 * the verifier prunes the checks that are off) and, for a cgroup filter,
 * stores the cgroup's fd in ct_cgroup.
 */
#ifndef CT_FILTER_BPF_H
#define CT_FILTER_BPF_H

#include <bpf/bpf_core_read.h>

#include "filter.h"

const volatile struct ct_filter ct_filter = { .uid = CT_ANY_UID };

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ct_cgroup SEC(".maps");

/* Is any filter on? A constant once loaded: the verifier prunes. */
static __always_inline bool ct_filtering(void)
{
	return ct_filter.tgid || ct_filter.tid ||
	       ct_filter.uid != CT_ANY_UID || ct_filter.cgroup;
}

/* Does the current task pass the pid, tid, uid and cgroup filters? */
static __always_inline bool ct_task_wanted(void)
{
	/* A helper call per event: only where a filter looks at it. */
	__u64 id = ct_filter.tgid || ct_filter.tid ?
		   bpf_get_current_pid_tgid() : 0;

	if (ct_filter.tgid && (__u32)(id >> 32) != ct_filter.tgid)
		return false;
	if (ct_filter.tid && (__u32)id != ct_filter.tid)
		return false;
	if (ct_filter.uid != CT_ANY_UID &&
	    (__u32)bpf_get_current_uid_gid() != ct_filter.uid)
		return false;
	if (ct_filter.cgroup &&
	    bpf_current_task_under_cgroup(&ct_cgroup, 0) != 1)
		return false;
	return true;
}

/*
 * The id of the cgroup v2 directory in ct_cgroup, for filters on a task
 * other than current (ct_task_struct_wanted()); set by ct_load_and_attach().
 */
const volatile __u64 ct_cgroup_id = 0;

/* Ancestors of a task's cgroup that ct_task_struct_wanted() looks at. */
#define CT_CGROUP_MAX_DEPTH 32

/* Is task t in the cgroup v2 directory ct_cgroup_id, or below it? */
static __always_inline bool ct_task_in_cgroup(struct task_struct *t)
{
	struct cgroup *cg = BPF_CORE_READ(t, cgroups, dfl_cgrp);

	for (int i = 0; i < CT_CGROUP_MAX_DEPTH && cg; i++) {
		struct cgroup_subsys_state *parent;

		if (BPF_CORE_READ(cg, kn, id) == ct_cgroup_id)
			return true;
		parent = BPF_CORE_READ(cg, self.parent);
		/* self is a member of the cgroup: step back to the cgroup. */
		cg = parent ? (void *)parent -
			      bpf_core_field_offset(struct cgroup, self) :
			      NULL;
	}
	return false;
}

/*
 * Does task t pass the filters? Unlike ct_task_wanted(), for any task, e.g.
 * the one a wakeup wakes or a context switch switches in.
 */
static __always_inline bool ct_task_struct_wanted(struct task_struct *t)
{
	if (ct_filter.tgid && BPF_CORE_READ(t, tgid) != (int)ct_filter.tgid)
		return false;
	if (ct_filter.tid && BPF_CORE_READ(t, pid) != (int)ct_filter.tid)
		return false;
	if (ct_filter.uid != CT_ANY_UID &&
	    BPF_CORE_READ(t, cred, uid.val) != ct_filter.uid)
		return false;
	if (ct_filter.cgroup && !ct_task_in_cgroup(t))
		return false;
	return true;
}

/* Does the NUL-terminated comm contain needle (at most needle_len bytes)? */
static __always_inline bool ct_comm_contains(const char comm[16],
					     const volatile char needle[16],
					     __u32 needle_len)
{
	if (!needle_len)
		return true;
	for (int start = 0; start < 16; start++) {
		int i;

		if (start + needle_len > 15)
			return false;
		for (i = 0; i < 16 && i < (int)needle_len; i++)
			if (comm[(start + i) & 15] != needle[i])
				break;
		if (i == (int)needle_len)
			return true;
	}
	return false;
}

#endif
