/* SPDX-License-Identifier: GPL-2.0 */
/* One capability check, as the BPF program sends it to capable. */
#ifndef CAPABLE_H
#define CAPABLE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define CAP_COMM_LEN 16

/* cap_capable()'s opts bits (include/linux/security.h). */
#define CAP_OPT_NOAUDIT (1 << 1)
#define CAP_OPT_INSETID (1 << 2)

/* --unique remembers this many (process or cgroup, capability) pairs. */
#define CAP_UNIQUE_MAX 10240

struct cap_event {
	__u64 ts;		/* bpf_ktime_get_ns() */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__s32 cap;
	__s32 ret;		/* 0, or -EPERM */
	/* user namespaces, their inode numbers */
	__u32 target_ns;	/* the one the capability is wanted in */
	__u32 capable_ns;	/* the task's credentials' */
	__u32 opts;		/* cap_capable()'s opts, if has_opts */
	__u8 has_opts;		/* only the kprobe gets opts */
	__u8 pad[3];
	char comm[CAP_COMM_LEN];
	__s32 kstack;		/* -K, -U: ids in ct_stacks, or -errno */
	__s32 ustack;
	__u64 proc_id;		/* which life of pid: ct_process_life() */
};

/* A --unique pair: tgid, or the cgroup id with -c. */
struct cap_key {
	__u64 id;
	__s32 cap;
	__u32 pad;
};

#endif
