/* SPDX-License-Identifier: GPL-2.0 */
/* runqlat: shared by the BPF program and the front end. */
#ifndef RUNQLAT_H
#define RUNQLAT_H

#define RUNQ_SLOTS 32
#define RUNQ_COMM_LEN 16
#define RUNQ_MAX_KEYS 10240

/* What a histogram is per (-P, -L, --pidnss); key 0 for RUNQ_BY_ALL. */
enum runq_by {
	RUNQ_BY_ALL,
	RUNQ_BY_PROCESS,	/* key: tgid */
	RUNQ_BY_THREAD,		/* key: tid */
	RUNQ_BY_PIDNS,		/* key: pid namespace inode number */
};

struct runq_hist {
	__u32 slots[RUNQ_SLOTS];
	char comm[RUNQ_COMM_LEN];	/* of the process or thread */
	__u64 sum_ns;			/* of the latencies */
};

#endif
