/* SPDX-License-Identifier: GPL-2.0 */
/* tcprtt: shared by the BPF program and the front end. */
#ifndef TCPRTT_H
#define TCPRTT_H

#define RTT_SLOTS 32
#define RTT_MAX_KEYS 10240

/* What a histogram is per (-b, -B, --bylport, --byrport). */
enum rtt_by {
	RTT_BY_ALL,
	RTT_BY_LADDR,
	RTT_BY_RADDR,
	RTT_BY_LPORT,
	RTT_BY_RPORT,
};

/* A histogram's key: the address or the port; all zero for RTT_BY_ALL. */
struct rtt_key {
	__u16 family;	/* of the address (AF_INET, AF_INET6) */
	__u16 port;
	__u8 addr[16];	/* network byte order; AF_INET: the first 4 */
};

/* -a, -A: an address or network; family 0 for none. */
struct rtt_addr_filter {
	__u16 family;
	__u16 prefix;	/* bits compared */
	__u8 addr[16];
};

struct rtt_hist {
	__u32 slots[RTT_SLOTS];
	__u64 sum_ns;	/* of the smoothed RTTs counted */
};

#endif
