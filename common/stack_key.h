/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Blocked time kept by stack (offcputime, wakeuptime): the key and value
 * of their "totals" map, shared by the BPF side (bpf/stack_total.bpf.h)
 * and user space (stack_report.h).
 */
#ifndef CT_STACK_KEY_H
#define CT_STACK_KEY_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define CT_STACK_COMM_LEN 16

struct ct_stack_key {
	__u32 pid;		/* process the stacks are of */
	__u32 tid;		/* its thread; 0: totals per process */
	__s32 kstack;		/* ids in ct_stacks, or -errno */
	__s32 ustack;		/* (stack_map.h) */
	__u64 proc_id;		/* which life of pid (ct_process_life()) */
	char comm[CT_STACK_COMM_LEN];
	/* wakeuptime: the task woken; target_comm[0] 0 otherwise */
	__u32 target_pid;
	__u32 pad;
	char target_comm[CT_STACK_COMM_LEN];
};

struct ct_stack_total {
	__u64 ns;		/* time blocked */
	__u64 count;		/* how many times */
};

/* Sent the first time a process (a life of it) shows a user stack. */
struct ct_stack_proc {
	__u32 pid;
	__u32 pad;
	__u64 proc_id;
};

#endif
