/* SPDX-License-Identifier: GPL-2.0 */
/* One TCP state change, as the BPF program sends it to tcpstates. */
#ifndef TCPSTATES_H
#define TCPSTATES_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "sock_tuple.h"

#define STATES_COMM_LEN 16

struct state_event {
	__u64 ts;		/* bpf_ktime_get_ns() */
	__u64 skaddr;		/* the struct sock */
	__u64 old_ns;		/* in oldstate; 0 if not seen entering it */
	__u32 pid;		/* current: see tcpstates.bpf.c */
	__u32 tid;
	__s32 oldstate;
	__s32 newstate;
	char comm[STATES_COMM_LEN];
	struct ct_sock_tuple tuple;
};

#endif
