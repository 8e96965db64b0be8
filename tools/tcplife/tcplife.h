/* SPDX-License-Identifier: GPL-2.0 */
/* One closed TCP connection, as the BPF program sends it to tcplife. */
#ifndef TCPLIFE_H
#define TCPLIFE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "sock_tuple.h"

#define LIFE_COMM_LEN 16

enum life_owner {
	LIFE_OWNER_NONE,	/* no process-context change seen */
	LIFE_OWNER_CONNECT,	/* the task that called connect() */
	LIFE_OWNER_ACCEPT,	/* the task that accepted it */
	LIFE_OWNER_CLOSE,	/* neither seen: the task that closed it */
};

struct life_event {
	__u64 ts;		/* bpf_ktime_get_ns() at the close */
	__u64 duration_ns;	/* from the first state change seen */
	__u64 tx_bytes;		/* tcp_sock bytes_acked */
	__u64 rx_bytes;		/* tcp_sock bytes_received */
	__u32 pid;
	__u32 uid;
	__u8 owner;		/* enum life_owner */
	__u8 pad[3];
	char comm[LIFE_COMM_LEN];
	struct ct_sock_tuple tuple;
};

#endif
