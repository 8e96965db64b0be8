/* SPDX-License-Identifier: GPL-2.0 */
/* Counters every tool's BPF side keeps about the events it sends. */
#ifndef CT_EVENTS_H
#define CT_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * User space sleeps until woken after finding no events, and naps after
 * taking some: it looks again by itself (common/consume.c) once, at the
 * rate it just read at, 1/CT_NAP_FILL of the ring has come, but after
 * CT_NAP_MIN_US at least and CT_WAKEUP_MS at most. The kernel side wakes
 * a napping reader only past 1/CT_WAKEUP_PART of the ring: a late safety
 * mark, for a rate that grew faster than the naps shrank. A wake-up costs
 * the sender a self-interrupt (and, in a VM, exits to the hypervisor);
 * the reader's own timer costs the sender nothing, but each nap costs the
 * reader a timer, a sleep and a wake-up of its own: naps to 1/16 of the
 * ring cost it less than naps to 1/32 did, and the mark at 4 times the
 * nap's fill seldom ends one (bench/RESULTS.md, s14-flakes).
 */
#define CT_WAKEUP_MS 5
#define CT_NAP_MIN_US 100
#define CT_NAP_FILL 16
#define CT_WAKEUP_PART 4

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
	__u64 woken;		/* wake-ups of the reader asleep */
	__u64 woken_backlog;	/* of the reader napping, for a backlog */
};

#endif
