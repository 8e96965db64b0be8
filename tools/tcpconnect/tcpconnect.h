/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpconnect's events are the connect tools' (common/tcp_connect.h): one
 * per connect whose handshake ended, with its result. With --count, the
 * kernel counts them per destination instead.
 */
#ifndef TCPCONNECT_H
#define TCPCONNECT_H

#include "tcp_connect.h"

/* Entries of the --count map, at most. */
#define TCPCONNECT_MAX_DESTS 10240

struct tcpconnect_dest {
	__u8 daddr[16];		/* as struct ct_sock_tuple's */
	__u16 dport;
	__u16 family;
};

struct tcpconnect_count {
	__u64 connects;
	__u64 failed;
};

#endif
