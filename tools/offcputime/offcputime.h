/* SPDX-License-Identifier: GPL-2.0 */
/* offcputime: what the BPF side keeps between a switch out and back in. */
#ifndef OFFCPUTIME_H
#define OFFCPUTIME_H

#include "stack_key.h"

/* --state's bit for a runnable task (CT_STATE_RUNNING is no bit). */
#define OFFCPU_STATE_R 0x100

/* Threads switched out and not yet back, at most. */
#define OFFCPU_MAX_THREADS 32768

struct offcpu_start {
	__u64 ts;		/* bpf_ktime_get_ns() at the switch out */
	struct ct_stack_key key;
};

#endif
