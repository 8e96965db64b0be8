/* SPDX-License-Identifier: GPL-2.0 */
/* One line read by bash's readline(), as the BPF program sends it. */
#ifndef BASHREADLINE_H
#define BASHREADLINE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define RL_COMM_LEN 16
/* Bytes of a line captured, NUL included; a power of two. */
#define RL_LINE_BYTES 4096

enum rl_flags {
	RL_TRUNCATED = 1 << 0,	/* the line is longer than line[] */
};

struct rl_event {
	__u64 ts;		/* bpf_ktime_get_ns() */
	__u32 pid;
	__u32 uid;
	__u16 len;		/* bytes of line[], no NUL */
	__u8 flags;
	char comm[RL_COMM_LEN];
	char line[RL_LINE_BYTES];	/* only the used part is sent */
};

#endif
