/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who a task is, as common/bpf/task.bpf.h fills it in for an event's
 * header, shared with user space.
 */
#ifndef CT_TASK_INFO_H
#define CT_TASK_INFO_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define CT_TASK_COMM_LEN 16

struct ct_task_info {
	__u64 cgroup_id;	/* cgroup v2 id: its directory's inode */
	__u32 pid;		/* the process (tgid), initial pid ns */
	__u32 tid;		/* the thread */
	__u32 ppid;		/* the real parent's process */
	__u32 uid;		/* real, in the initial user namespace */
	__u32 gid;
	__u32 mnt_ns;		/* inode numbers, as /proc/PID/ns/ shows */
	__u32 pid_ns;		/* the namespace the task's pid lives in */
	__u32 reserved;		/* zero */
	char comm[CT_TASK_COMM_LEN];
};

#endif
