/* SPDX-License-Identifier: GPL-2.0 */
/* One bind() on an inet socket, as the BPF program sends it to bindsnoop. */
#ifndef BINDSNOOP_H
#define BINDSNOOP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "sock_tuple.h"

#define BIND_COMM_LEN 16

/* Socket options that change what bind() does, as set at its return. */
enum bind_opt {
	BIND_FREEBIND = 1 << 0,		/* IP_FREEBIND, IPV6_FREEBIND */
	BIND_TRANSPARENT = 1 << 1,	/* IP_TRANSPARENT, IPV6_TRANSPARENT */
	BIND_NO_PORT = 1 << 2,		/* IP_BIND_ADDRESS_NO_PORT */
	BIND_REUSEADDR = 1 << 3,	/* SO_REUSEADDR */
	BIND_REUSEPORT = 1 << 4,	/* SO_REUSEPORT */
};

struct bind_event {
	__u64 ts;		/* bpf_ktime_get_ns() at entry */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__s32 err;		/* positive errno, 0 for success */
	__u32 netns;		/* the socket's network namespace (inode) */
	__s32 ifindex;		/* SO_BINDTODEVICE, 0 for none */
	/*
	 * family and protocol are the socket's. A successful bind's address
	 * and port are the socket's after it (the port the kernel chose for
	 * port 0); a failed one's those asked for, if addr_family is set.
	 */
	struct ct_sock_tuple tuple;
	__u16 addr_family;	/* of saddr: 0 when not known */
	__u16 req_port;		/* asked for; 0: the kernel chooses */
	__u8 opts;		/* enum bind_opt */
	__u8 req_known;		/* the sockaddr asked for was read */
	__u8 pad[2];
	char comm[BIND_COMM_LEN];
};

#endif
