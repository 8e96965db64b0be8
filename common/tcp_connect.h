/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A connection event of the connect tools (tcpconnect, tcpconnlat,
 * tcptracer), as their BPF programs send it (common/bpf/tcp_connect.bpf.h
 * fills the connect's part).
 */
#ifndef CT_TCP_CONNECT_H
#define CT_TCP_CONNECT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "sock_tuple.h"

#define CT_CONN_COMM_LEN 16

/* What happened: bcc tcptracer's letters. */
enum ct_conn_kind {
	CT_CONN_CONNECT = 'C',
	CT_CONN_ACCEPT = 'A',
	CT_CONN_CLOSE = 'X',
};

struct ct_conn_event {
	__u64 ts;		/* bpf_ktime_get_ns() when it happened */
	__u64 lat_ns;		/* connect: from its SYN to its result */
	__u32 pid;		/* the process that connected or accepted */
	__u32 uid;
	__s32 err;		/* connect: positive errno, 0: established */
	__u8 kind;		/* enum ct_conn_kind */
	__u8 pad[3];
	char comm[CT_CONN_COMM_LEN];
	struct ct_sock_tuple tuple;
};

#endif
