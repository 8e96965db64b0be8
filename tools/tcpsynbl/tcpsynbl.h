/* SPDX-License-Identifier: GPL-2.0 */
/* tcpsynbl: shared by the BPF program and the front end. */
#ifndef TCPSYNBL_H
#define TCPSYNBL_H

#define SYNBL_SLOTS 16	/* a power of two; the last takes 32768 up */
#define SYNBL_MAX_KEYS 10240

/* A histogram per listener: its port and its backlog's limit. */
struct synbl_key {
	__u32 max;	/* sk_max_ack_backlog: listen()'s backlog, capped */
	__u16 port;
	__u16 pad;
};

struct synbl_hist {
	__u32 slots[SYNBL_SLOTS];
	__u64 sum;	/* of the backlog lengths counted */
};

#endif
