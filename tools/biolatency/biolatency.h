/* SPDX-License-Identifier: GPL-2.0 */
/* biolatency: shared by the BPF program and the front end. */
#ifndef BIOLATENCY_H
#define BIOLATENCY_H

#define BIO_SLOTS 32
#define BIO_MAX_KEYS 10240
#define BIO_MAX_INFLIGHT 10240

/*
 * A request's flags, the same from either source (cmd_flags or the rwbs
 * string of plain tracepoints): the operation (the kernel's REQ_OP_*
 * number, BIO_OP_OTHER if unknown) in the low byte, then these bits.
 */
#define BIO_OP_MASK 0xff
#define BIO_OP_OTHER 0xff
#define BIO_SYNC (1 << 8)
#define BIO_META (1 << 9)
#define BIO_FUA (1 << 10)
#define BIO_PREFLUSH (1 << 11)
#define BIO_RAHEAD (1 << 12)

/* A histogram per disk (-D) and flags (-F); zero when not asked for. */
struct bio_key {
	__u32 dev;	/* major << 20 | minor, as the kernel's dev_t */
	__u32 flags;
};

struct bio_hist {
	__u32 slots[BIO_SLOTS];
	__u64 sum_ns;		/* of the latencies */
};

#endif
