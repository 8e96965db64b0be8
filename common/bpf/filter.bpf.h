/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel task filter. User space sets ct_filter (read-only once loaded, so
 * the verifier prunes the checks that are off) and, for a cgroup filter,
 * stores the cgroup's fd in ct_cgroup.
 */
#ifndef CT_FILTER_BPF_H
#define CT_FILTER_BPF_H

#include "filter.h"

const volatile struct ct_filter ct_filter = { .uid = CT_ANY_UID };

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ct_cgroup SEC(".maps");

/* Does the current task pass the pid, tid, uid and cgroup filters? */
static __always_inline bool ct_task_wanted(void)
{
	__u64 id = bpf_get_current_pid_tgid();

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
