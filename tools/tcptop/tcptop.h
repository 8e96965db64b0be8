/* SPDX-License-Identifier: GPL-2.0 */
/* The TCP traffic tcptop's BPF program counts, per process and connection. */
#ifndef TCPTOP_H
#define TCPTOP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "sock_tuple.h"

#define TOP_COMM_LEN 16
/* Connections counted in one interval, at most. */
#define TOP_MAX_CONNS 10240

struct top_key {
	struct ct_sock_tuple tuple;
	__u32 pid;
	__u32 pad;
};

struct top_traffic {
	__u64 rx;		/* bytes received */
	__u64 tx;		/* bytes sent */
	char comm[TOP_COMM_LEN];	/* of the first call counted */
};

#endif
