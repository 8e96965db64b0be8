/* SPDX-License-Identifier: GPL-2.0 */
/* One OOM victim, as the BPF program sends it to oomkill. */
#ifndef OOMKILL_H
#define OOMKILL_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define OOM_COMM_LEN 16
/* Kernel stack frames sent, searched for the memcg OOM function. */
#define OOM_STACK_FRAMES 32

/* Why the OOM killer ran, as the kernel's enum oom_constraint has it. */
enum oom_why {
	OOM_WHY_UNKNOWN,
	OOM_WHY_GLOBAL,
	OOM_WHY_CPUSET,
	OOM_WHY_MEMPOLICY,
	OOM_WHY_MEMCG,
};

enum oom_flags {
	OOM_VICTIM = 1 << 0,	/* the victim's task was read */
	OOM_MM = 1 << 1,	/* it still had its memory: the sizes */
	OOM_PAGES = 1 << 2,	/* totalpages is known */
	OOM_MEMCG = 1 << 3,	/* memcg_id is known */
	OOM_MEMCG_V1 = 1 << 4,	/* ... on a cgroup v1 hierarchy */
	OOM_KILLED = 1 << 5,	/* the OOM killer sent it SIGKILL */
	OOM_STACK = 1 << 6,	/* why is for the stack to tell: nframes */
};

struct oom_event {
	__u64 ts;		/* bpf_ktime_get_ns() */
	__u64 totalpages;	/* the pages the limit allows */
	__u64 memcg_id;		/* the victim's memory cgroup */
	__u64 total_vm;		/* pages */
	__u64 anon_rss;
	__u64 file_rss;
	__u64 shmem_rss;
	__u32 pid;		/* the victim's process, or its thread */
	__u32 uid;		/* the victim's real uid */
	__u32 tpid;		/* the process that triggered the OOM */
	__s16 oom_score_adj;
	__u8 why;		/* enum oom_why */
	__u8 flags;		/* enum oom_flags */
	char comm[OOM_COMM_LEN];
	char tcomm[OOM_COMM_LEN];
	__u32 nframes;		/* of stack, with OOM_STACK */
	__u64 stack[OOM_STACK_FRAMES];	/* the kernel stack at mark_victim */
};

#endif
