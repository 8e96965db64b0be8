/* SPDX-License-Identifier: GPL-2.0 */
/* Counters every tool's BPF side keeps about the events it sends. */
#ifndef CT_EVENTS_H
#define CT_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * The BPF side wakes user space at most once per CT_WAKEUP_MS; user space
 * looks again that much later after taking events (common/consume.c).
 */
#define CT_WAKEUP_MS 5

struct ct_stats {
	__u64 sent;	/* events handed to the ring (or perf) buffer */
	__u64 dropped;	/* events lost because the buffer was full */
};

#endif
