/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task states as the kernel reports them (TASK_REPORT in
 * include/linux/sched.h, the letters of ps and of the sched_switch
 * tracepoint), one bit each: stable kernel ABI since 4.14.
 */
#ifndef CT_SCHED_STATE_H
#define CT_SCHED_STATE_H

#define CT_STATE_RUNNING 0x00	/* R: runnable (preempted, yielding) */
#define CT_STATE_S 0x01		/* S: interruptible sleep */
#define CT_STATE_D 0x02		/* D: uninterruptible sleep */
#define CT_STATE_T 0x04		/* T: stopped */
#define CT_STATE_t 0x08		/* t: traced */
#define CT_STATE_X 0x10		/* X: dead */
#define CT_STATE_Z 0x20		/* Z: zombie */
#define CT_STATE_P 0x40		/* P: parked (kthreads) */
#define CT_STATE_I 0x80		/* I: idle (TASK_IDLE: D, not load) */
#define CT_STATE_REPORTED 0x7f	/* the bits of S to P */

/* --state's letters, bit i for letter i ('R' for none). */
#define CT_STATE_LETTERS "SDTtXZPI"

#endif
