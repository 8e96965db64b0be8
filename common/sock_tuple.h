/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A socket's addresses and ports as common/bpf/sock.bpf.h reads them from a
 * struct sock, for events shared with user space (print the addresses with
 * ct_fmt_addr_port()).
 */
#ifndef CT_SOCK_TUPLE_H
#define CT_SOCK_TUPLE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

struct ct_sock_tuple {
	__u8 saddr[16];		/* network order; AF_INET: first 4 */
	__u8 daddr[16];		/* zero while not connected */
	__u16 sport;		/* host byte order; 0 while not bound */
	__u16 dport;		/* host byte order */
	/*
	 * AF_INET or AF_INET6. An AF_INET6 socket talking IPv4 stays
	 * AF_INET6, with v4-mapped addresses (::ffff:a.b.c.d).
	 */
	__u16 family;
	__u16 protocol;		/* IPPROTO_TCP, IPPROTO_UDP... */
};

#endif
