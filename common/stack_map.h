/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack traces kept by the kernel in a BPF stack map (bpf_get_stackid()),
 * shared by the BPF side (bpf/stack.bpf.h) and user space (stacks.h).
 */
#ifndef CT_STACK_MAP_H
#define CT_STACK_MAP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Frames kept per stack: the kernel's PERF_MAX_STACK_DEPTH. */
#define CT_STACK_DEPTH 127

/* Stacks the map holds unless the tool sizes it (--stack-storage-size). */
#define CT_STACK_ENTRIES 16384

/*
 * A stack id as a tool keeps it: >= 0 in the map; else a negative errno.
 * -EFAULT: no stack of that kind (a kernel thread's user stack, the kernel
 * stack of a sample taken in user mode); -EEXIST or -ENOMEM: one there was,
 * but the map had no room for it (missed, counted in ct_stack_stats);
 * CT_STACK_NOT_TAKEN: the tool did not ask for it (user-only, kernel-only).
 */
#define CT_STACK_NOT_TAKEN (-1000)

/* Only misses are counted: a count of every stack cost each a lookup. */
struct ct_stack_stats {
	__u64 missed;	/* stacks the map had no room for */
};

#endif
