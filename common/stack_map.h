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
 * The kernel's stack map is a table of one stack a slot, the slot chosen
 * by the stack's hash: a stack whose slot another holds is refused long
 * before the table is full (a busy machine's 20 s profile: 13% of stacks).
 * Those go to a second map, ct_stacks_more, a quarter the size, which only
 * refused stacks enter, so its slots are rarely taken; its ids carry
 * CT_STACK_MORE. A stack keeps its one id: nothing leaves either map.
 */
#define CT_STACK_MORE (1 << 30)
#define CT_STACK_MORE_ENTRIES(n) ((n) >= 4 ? (n) / 4 : 1)

/*
 * A stack id as a tool keeps it: >= 0 in a map; else a negative errno.
 * -EFAULT: no stack of that kind (a kernel thread's user stack, the kernel
 * stack of a sample taken in user mode); -EEXIST or -ENOMEM: one there was,
 * but neither map had room for it (missed, counted in ct_stack_stats);
 * CT_STACK_NOT_TAKEN: the tool did not ask for it (user-only, kernel-only).
 */
#define CT_STACK_NOT_TAKEN (-1000)

/* Only misses are counted: a count of every stack cost each a lookup. */
struct ct_stack_stats {
	__u64 missed;	/* stacks the map had no room for */
};

#endif
