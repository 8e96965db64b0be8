/* SPDX-License-Identifier: GPL-2.0 */
/* Counters every tool's BPF side keeps about the events it sends. */
#ifndef CT_EVENTS_H
#define CT_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * User space looks again CT_WAKEUP_MS after taking events (it naps), and
 * sleeps until woken after finding none (common/consume.c).
 */
#define CT_WAKEUP_MS 5

/*
 * Where the reader is, which it writes into the BPF object's .bss
 * (ct_reader) for the kernel side to read: only a reader asleep needs a
 * wake-up for an event; one napping, for a backlog (events.bpf.h).
 */
enum ct_reader_state {
	CT_READER_AWAKE,	/* reading, or woken and about to */
	CT_READER_NAPPING,	/* sleeping CT_WAKEUP_MS at most */
	CT_READER_ASLEEP,	/* sleeping until woken */
};

struct ct_stats {
	__u64 sent;	/* events handed to the ring (or perf) buffer */
	__u64 dropped;	/* events lost because the buffer was full */
	__u64 nap_bytes;	/* kernel side's: sent while the reader naps */
};

#endif
