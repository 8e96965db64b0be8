/* SPDX-License-Identifier: GPL-2.0 */
/* One listen() on an inet socket, as the BPF program sends it to solisten. */
#ifndef SOLISTEN_H
#define SOLISTEN_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "sock_tuple.h"

#define LISTEN_COMM_LEN 16

struct listen_event {
	__u64 ts;		/* bpf_ktime_get_ns() at entry */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__s32 err;		/* positive errno, 0 for success */
	__u32 netns;		/* the socket's network namespace (inode) */
	__s32 req_backlog;	/* listen()'s argument */
	__u32 backlog;		/* the kernel's (sk_max_ack_backlog) */
	__u32 pad;
	/* The socket after the call: a port the kernel chose is there. */
	struct ct_sock_tuple tuple;
	char comm[LISTEN_COMM_LEN];
};

#endif
