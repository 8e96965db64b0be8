/* SPDX-License-Identifier: GPL-2.0 */
/* profile: what the BPF side counts, and tells user space. */
#ifndef PROFILE_H
#define PROFILE_H

#include "stack_key.h"

#define PROFILE_COMM_LEN 16

/* Samples are counted per process, thread name and pair of stacks. */
struct profile_key {
	__u32 pid;		/* thread group; 0: a CPU's idle task */
	__s32 kstack;		/* ids in ct_stacks, or -errno */
	__s32 ustack;
	__u32 pad;
	__u64 proc_id;		/* which life of pid; 0: kernel thread */
	char comm[PROFILE_COMM_LEN];
};

/*
 * A struct ct_stack_proc is sent the first time a process (a life of it:
 * until exec) is sampled, and again every PROFILE_RETELL_NS at most while
 * it is.
 */
#define PROFILE_RETELL_NS 1000000000ULL

#endif
