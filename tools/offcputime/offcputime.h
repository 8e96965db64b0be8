/* SPDX-License-Identifier: GPL-2.0 */
/* offcputime: what the BPF side keeps between a switch out and back in. */
#ifndef OFFCPUTIME_H
#define OFFCPUTIME_H

#include "stack_key.h"

/* --state's bit for a runnable task (CT_STATE_RUNNING is no bit). */
#define OFFCPU_STATE_R 0x100

/* Threads switched out and not yet back, at most. */
#define OFFCPU_MAX_THREADS 32768

/*
 * Kept per thread from one switch out to the next, and written in place:
 * a map update and delete at every switch cost more than all the rest
 * but the stack walks.
 */
struct offcpu_start {
	__u64 ts;		/* bpf_ktime_get_ns() at the switch out; 0: in */
	__u64 told;		/* the life of its process user space knows */
	struct ct_stack_key key;
};

#endif
