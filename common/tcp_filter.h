/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection filters of the TCP tools (-4/-6, -L, -D), shared by user
 * space (common/tcp_opts.h) and the BPF side (common/bpf/tcp_state.bpf.h).
 */
#ifndef CT_TCP_FILTER_H
#define CT_TCP_FILTER_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Ports one -L or -D list holds, at most. */
#define CT_TCP_MAX_PORTS 8

struct ct_tcp_filter {
	__u16 family;	/* 0 for any, else the socket's: AF_INET, AF_INET6 */
	__u16 nlports;	/* 0: any local port */
	__u16 nrports;	/* 0: any remote port */
	__u16 lports[CT_TCP_MAX_PORTS];	/* host byte order */
	__u16 rports[CT_TCP_MAX_PORTS];
};

#endif
