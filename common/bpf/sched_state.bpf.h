/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state a task leaves the CPU in at sched_switch, as one bit of the
 * kernel's TASK_REPORT set (the letter ps and the tracepoint show):
 * CT_STATE_* in sched_state.h.
 */
#ifndef CT_SCHED_STATE_BPF_H
#define CT_SCHED_STATE_BPF_H

#include <bpf/bpf_core_read.h>

#include "sched_state.h"

/* Kernels before 5.14 call task_struct's state "state". */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

/*
 * Set by user space (ct_tp_btf_has_arg()): sched_switch passes the state
 * __schedule() read (5.18+), which a concurrent waker cannot change
 * before the tracepoint reads it, as it can prev's.
 */
const volatile bool ct_switch_has_state = false;

/* Raw __state bits (include/linux/sched.h) that are not TASK_REPORT's. */
#define CT_TASK_NOLOAD 0x0400
#define CT_TASK_RTLOCK_WAIT 0x1000

/*
 * The raw state of prev at a sched_switch whose arguments are args
 * (tp_btf or raw_tp: preempt, prev, next[, prev_state]).
 */
static __always_inline unsigned long ct_switch_raw_state(__u64 *args)
{
	struct task_struct *prev = (void *)args[1];

	if (ct_switch_has_state)
		return (unsigned int)args[3];
	if (bpf_core_field_exists(prev->__state))
		return BPF_CORE_READ(prev, __state);
	return BPF_CORE_READ((struct task_struct___pre514 *)prev, state);
}

/*
 * Reduce it as the kernel's __task_state_index() does, so that a state
 * means the same on every kernel: bits it does not report (TASK_FREEZABLE
 * since 6.1, TASK_NOLOAD...) dropped, an idle sleep (TASK_IDLE) its own
 * state, an rtlock wait shown as D, a preempted task runnable.
 */
static __always_inline __u32 ct_switch_state(__u64 *args)
{
	struct task_struct *prev = (void *)args[1];
	unsigned long raw = ct_switch_raw_state(args);
	__u32 bits;

	if ((bool)args[0])
		return CT_STATE_RUNNING;
	if ((raw & (CT_TASK_NOLOAD | CT_STATE_D)) ==
	    (CT_TASK_NOLOAD | CT_STATE_D))
		return CT_STATE_I;
	if (raw & CT_TASK_RTLOCK_WAIT)
		return CT_STATE_D;
	bits = (raw | BPF_CORE_READ(prev, exit_state)) & CT_STATE_REPORTED;
	for (int i = 6; i > 0; i--)
		if (bits & (1U << i))
			return 1U << i;
	return bits;
}

#endif
